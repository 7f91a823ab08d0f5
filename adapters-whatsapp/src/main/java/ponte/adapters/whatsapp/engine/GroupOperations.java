package ponte.adapters.whatsapp.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import ponte.adapters.whatsapp.client.Companion;
import ponte.adapters.whatsapp.client.GroupInfo;
import ponte.adapters.whatsapp.client.IqErrorException;
import ponte.application.error.UnavailableException;
import ponte.application.model.Group;
import ponte.application.port.out.GroupsPort;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;

/**
 * The engine's side of {@link GroupsPort}: each call runs on the companion of an instance online on this node
 * ({@link Companion}'s group methods, {@code w:g2} IQs) and waits for WhatsApp's answer. An IQ error becomes
 * {@link GroupsPort.Rejected} with its code, no answer in time an {@link UnavailableException}, a connection that
 * dropped before the IQ went out {@link MessagingPort.Offline}.
 */
final class GroupOperations implements GroupsPort {
    private static final System.Logger LOG = System.getLogger(GroupOperations.class.getName());

    private final Function<UUID, Companion> online;

    /** {@code online} is the companion of an instance online here, or throws {@link MessagingPort.Offline}. */
    GroupOperations(Function<UUID, Companion> online) {
        this.online = online;
    }

    @Override
    public List<Group> groups(UUID instanceId, Duration wait) {
        return await(instanceId, online.apply(instanceId).joinedGroups(), wait, "the list of groups").stream()
                .map(GroupOperations::group).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<Group> metadata(UUID instanceId, Jid group, Duration wait) {
        return await(instanceId, online.apply(instanceId).groupInfo(group.toString()), wait, "the group query")
                .flatMap(GroupOperations::group);
    }

    @Override
    public Created create(UUID instanceId, String subject, List<Jid> participants, Duration wait) {
        var created = await(instanceId, online.apply(instanceId).createGroup(subject,
                participants.stream().map(Jid::toString).toList()), wait, "the group create");
        var group = group(created).orElseThrow(() -> new UnavailableException("WhatsApp answered the group create "
                + "with a group id that is not a group JID"));
        return new Created(group, created.refused().stream().flatMap(outcome -> Jid.parse(outcome.jid()).stream()
                .map(jid -> new ParticipantOutcome(jid.toNonDevice(), outcome.other().flatMap(Jid::parse),
                        outcome.error()))).toList());
    }

    @Override
    public void change(UUID instanceId, Jid group, Change change, Duration wait) {
        var device = online.apply(instanceId);
        var jid = group.toString();
        CompletableFuture<Void> done = switch (change) {
            case Change.Subject subject -> device.setGroupSubject(jid, subject.subject());
            case Change.Description description -> device.setGroupDescription(jid, description.description());
            case Change.Announce announce -> device.setGroupAnnounce(jid, announce.announce());
            case Change.Locked locked -> device.setGroupLocked(jid, locked.locked());
        };
        await(instanceId, done, wait, "the group change");
    }

    @Override
    public List<ParticipantOutcome> participants(UUID instanceId, Jid group, ParticipantAction action,
                                                 List<Jid> participants, Duration wait) {
        var outcomes = await(instanceId, online.apply(instanceId).changeGroupParticipants(group.toString(),
                action.wire(), participants.stream().map(Jid::toString).toList()), wait, "the participants change");
        return outcomes.stream().flatMap(outcome -> Jid.parse(outcome.jid()).stream().map(jid ->
                new ParticipantOutcome(jid, outcome.other().flatMap(Jid::parse),
                        outcome.applied() ? 200 : outcome.error()))).toList();
    }

    @Override
    public String inviteCode(UUID instanceId, Jid group, Duration wait) {
        return await(instanceId, online.apply(instanceId).groupInviteCode(group.toString()), wait,
                "the invite code query");
    }

    @Override
    public Jid join(UUID instanceId, String code, Duration wait) {
        var joined = await(instanceId, online.apply(instanceId).joinGroup(code), wait, "the join");
        return Jid.parse(joined).filter(Jid::isGroup).orElseThrow(() -> new UnavailableException(
                "WhatsApp answered the join with a group id that is not a group JID"));
    }

    @Override
    public void leave(UUID instanceId, Jid group, Duration wait) {
        await(instanceId, online.apply(instanceId).leaveGroup(group.toString()), wait, "the leave");
    }

    private static <T> T await(UUID instanceId, CompletableFuture<T> answer, Duration wait, String what) {
        try {
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UnavailableException("WhatsApp did not answer " + what + " within " + wait.toSeconds()
                    + " s; it may or may not have been applied");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IqErrorException refused) {
                throw new Rejected(refused.code(), refused.getMessage());
            }
            if (e.getCause() instanceof IllegalArgumentException malformed) {
                throw new Rejected(400, malformed.getMessage());
            }
            LOG.log(System.Logger.Level.INFO, "instance " + instanceId + ": " + what + " failed: " + e.getCause());
            throw new MessagingPort.Offline("instance " + instanceId + ": " + what + " did not reach WhatsApp");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for " + what);
        }
    }

    /** The client's group as the application's; empty when its id is not a group JID. */
    static Optional<Group> group(GroupInfo info) {
        var participants = info.participants().stream().map(GroupOperations::participant)
                .flatMap(Optional::stream).toList();
        var owner = info.creator().flatMap(Jid::parse).map(Jid::toNonDevice).map(creator -> creator.isLid()
                ? participants.stream().filter(p -> p.lid().equals(Optional.of(creator))).findFirst()
                        .map(Group.Participant::jid).orElse(creator)
                : creator);
        return Jid.parse(info.jid()).filter(Jid::isGroup).map(jid -> new Group(jid, info.subject(),
                info.description().filter(text -> !text.isEmpty()), owner, info.created(), info.announce(),
                info.locked(), participants));
    }

    private static Optional<Group.Participant> participant(GroupInfo.Participant participant) {
        var named = Jid.parse(participant.jid()).map(Jid::toNonDevice);
        var other = participant.other().flatMap(Jid::parse).map(Jid::toNonDevice);
        return named.map(jid -> {
            var phone = jid.isLid() ? other.filter(Jid::isPhone) : Optional.of(jid).filter(Jid::isPhone);
            var lid = jid.isLid() ? Optional.of(jid) : other.filter(Jid::isLid);
            return new Group.Participant(phone.orElse(jid), lid, phone.map(Jid::user), participant.admin(),
                    participant.role().equals("superadmin"));
        });
    }
}
