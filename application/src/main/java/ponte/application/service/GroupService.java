package ponte.application.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import ponte.application.error.ForbiddenException;
import ponte.application.error.NotConnectedException;
import ponte.application.error.NotFoundException;
import ponte.application.error.UnavailableException;
import ponte.application.model.Group;
import ponte.application.model.GroupCreated;
import ponte.application.model.GroupInvite;
import ponte.application.model.GroupParticipantResult;
import ponte.application.port.in.GroupsUseCase;
import ponte.application.port.out.GroupsPort;
import ponte.application.port.out.MessagingPort;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.message.Jid;
import ponte.domain.message.Recipient;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violations;

/**
 * The groups of an instance's account (API.md "Groups"), asked of WhatsApp through the engine that runs the
 * instance's session ({@link GroupsPort}); participants given as numbers are checked with WhatsApp first (a usync
 * query, as for sends: Brazil's and Mexico's old and new mobile forms resolve to the account WhatsApp knows).
 *
 * <p>A request is validated in full, and checked against the group's metadata (membership, admin rights) before
 * anything is changed, so a rejected request leaves the group as it was. The limits are WhatsApp's: a subject of at
 * most {@value #MAX_SUBJECT} characters (WhatsApp raised it from 25 to 100 in 2021; whatsmeow group.go still says
 * 25, a longer one is refused with 406) and a description of at most {@value #MAX_DESCRIPTION} (what WhatsApp's apps
 * accept; an assumption, no public source documents the server's limit). Characters are Unicode code points.
 */
final class GroupService implements GroupsUseCase {
    static final int MAX_SUBJECT = 100;
    static final int MAX_DESCRIPTION = 2048;
    static final int MAX_PARTICIPANTS = 200;
    private static final Pattern INVITE_CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final List<String> ACTIONS = List.of("add", "remove", "promote", "demote");

    private final InstanceAccess access;
    private final GroupsPort groups;
    private final MessagingPort messaging;
    private final Duration wait;

    GroupService(InstanceAccess access, GroupsPort groups, MessagingPort messaging, Duration wait) {
        this.access = access;
        this.groups = groups;
        this.messaging = messaging;
        this.wait = wait;
    }

    @Override
    public List<Group> groups(Principal caller, String idOrName) {
        var instance = online(caller, idOrName);
        return ask(instance, () -> groups.groups(instance.id(), wait));
    }

    @Override
    public Group group(Principal caller, String idOrName, String groupJid) {
        var jid = groupJid(groupJid);
        var instance = online(caller, idOrName);
        return existing(instance, jid);
    }

    @Override
    public GroupCreated create(Principal caller, String idOrName, String subject, List<String> participants) {
        var problems = new Violations();
        checkSubject(problems, subject, true);
        var given = participants == null ? List.<String>of() : participants;
        problems.check(!given.isEmpty() && given.size() <= MAX_PARTICIPANTS, "participants",
                "must list 1-" + MAX_PARTICIPANTS + " participants; got " + given.size());
        var asked = people(problems, given);
        problems.throwIfAny();
        var instance = online(caller, idOrName);
        var resolved = resolve(instance, asked);
        var missing = new Violations();
        for (int i = 0; i < asked.size(); i++) {
            if (resolved.get(i).isEmpty()) {
                missing.add("participants[" + i + "]", "'" + given.get(i) + "' is not on WhatsApp");
            }
        }
        missing.throwIfAny();
        var members = resolved.stream().flatMap(Optional::stream).distinct()
                .filter(jid -> !own(instance).equals(jid)).toList();
        if (members.isEmpty()) {
            throw ValidationException.of("participants", "must name someone besides this instance's own account");
        }
        var created = ask(instance, () -> groups.create(instance.id(), subject.strip(), members, wait));
        var results = new ArrayList<GroupParticipantResult>();
        for (int i = 0; i < given.size(); i++) {
            var account = resolved.get(i).orElseThrow();
            int status = created.refused().stream().filter(o -> o.jid().equals(account)
                    || o.other().equals(Optional.of(account))).findFirst()
                    .map(GroupsPort.ParticipantOutcome::status).orElse(200);
            results.add(new GroupParticipantResult(given.get(i), Optional.of(account), status,
                    problem("add", status)));
        }
        return new GroupCreated(created.group(), results);
    }

    @Override
    public Group update(Principal caller, String idOrName, String groupJid, Update update) {
        var jid = groupJid(groupJid);
        var problems = new Violations();
        problems.check(update.subject().isPresent() || update.description().isPresent()
                || update.announce().isPresent() || update.locked().isPresent(), "body",
                "must change at least one of subject, description, announce, locked");
        update.subject().ifPresent(subject -> checkSubject(problems, subject, false));
        update.description().ifPresent(description -> problems.check(
                description.codePointCount(0, description.length()) <= MAX_DESCRIPTION, "description",
                "must be at most " + MAX_DESCRIPTION + " characters (WhatsApp's limit); an empty one deletes it"));
        problems.throwIfAny();
        var instance = online(caller, idOrName);
        var group = existing(instance, jid);
        boolean admin = self(instance, group).map(Group.Participant::admin).orElse(false);
        if (!admin && (update.announce().isPresent() || update.locked().isPresent())) {
            throw new ForbiddenException("only the group's admins may change who sends (announce) and who edits "
                    + "its info (locked); this instance's account is not an admin of " + jid);
        }
        if (!admin && group.locked() && (update.subject().isPresent() || update.description().isPresent())) {
            throw new ForbiddenException("the group " + jid + " is locked: only its admins may change its subject "
                    + "and description, and this instance's account is not one");
        }
        var changes = new ArrayList<GroupsPort.Change>();
        update.subject().map(String::strip).filter(subject -> !subject.equals(group.subject()))
                .ifPresent(subject -> changes.add(new GroupsPort.Change.Subject(subject)));
        update.description().filter(description -> !Optional.of(description).equals(group.description())
                        && !(description.isEmpty() && group.description().isEmpty()))
                .ifPresent(description -> changes.add(new GroupsPort.Change.Description(description)));
        update.announce().filter(announce -> announce != group.announce())
                .ifPresent(announce -> changes.add(new GroupsPort.Change.Announce(announce)));
        update.locked().filter(locked -> locked != group.locked())
                .ifPresent(locked -> changes.add(new GroupsPort.Change.Locked(locked)));
        if (changes.isEmpty()) {
            return group;
        }
        for (var change : changes) {
            ask(instance, () -> {
                groups.change(instance.id(), jid, change, wait);
                return null;
            }, jid);
        }
        return existing(instance, jid);
    }

    @Override
    public List<GroupParticipantResult> participants(Principal caller, String idOrName, String groupJid,
                                                     String action, List<String> participants) {
        var jid = groupJid(groupJid);
        var problems = new Violations();
        var verb = action == null ? "" : action.strip().toLowerCase(Locale.ROOT);
        problems.check(ACTIONS.contains(verb), "action", "must be one of " + String.join(", ", ACTIONS));
        var given = participants == null ? List.<String>of() : participants;
        problems.check(!given.isEmpty() && given.size() <= MAX_PARTICIPANTS, "participants",
                "must list 1-" + MAX_PARTICIPANTS + " participants; got " + given.size());
        var asked = people(problems, given);
        problems.throwIfAny();
        var instance = online(caller, idOrName);
        var group = existing(instance, jid);
        if (!self(instance, group).map(Group.Participant::admin).orElse(false)) {
            throw new ForbiddenException("only the group's admins may " + verb + " participants; this instance's "
                    + "account is not an admin of " + jid);
        }
        var resolved = resolve(instance, asked);
        if (verb.equals("remove") || verb.equals("demote")) {
            var ownAccount = new Violations();
            for (int i = 0; i < resolved.size(); i++) {
                ownAccount.check(!resolved.get(i).map(own(instance)::equals).orElse(false), "participants[" + i + "]",
                        verb.equals("remove") ? "is this instance's own account: leave with POST /groups/{jid}/leave"
                                : "is this instance's own account, which cannot demote itself");
            }
            ownAccount.throwIfAny();
        }
        var wanted = resolved.stream().flatMap(Optional::stream).distinct().toList();
        var outcomes = wanted.isEmpty() ? List.<GroupsPort.ParticipantOutcome>of()
                : ask(instance, () -> groups.participants(instance.id(), jid,
                        GroupsPort.ParticipantAction.valueOf(verb.toUpperCase(Locale.ROOT)), wanted, wait), jid);
        var results = new ArrayList<GroupParticipantResult>();
        for (int i = 0; i < given.size(); i++) {
            var input = given.get(i);
            var account = resolved.get(i);
            if (account.isEmpty()) {
                results.add(new GroupParticipantResult(input, Optional.empty(), 404,
                        Optional.of("'" + input + "' is not on WhatsApp")));
                continue;
            }
            int status = outcomes.stream().filter(o -> o.jid().equals(account.get())
                            || o.other().equals(account)).findFirst().map(GroupsPort.ParticipantOutcome::status)
                    .orElse(200);
            results.add(new GroupParticipantResult(input, account, status, problem(verb, status)));
        }
        return results;
    }

    @Override
    public GroupInvite invite(Principal caller, String idOrName, String groupJid) {
        var jid = groupJid(groupJid);
        var instance = online(caller, idOrName);
        existing(instance, jid);
        return GroupInvite.of(ask(instance, () -> groups.inviteCode(instance.id(), jid, wait), jid));
    }

    @Override
    public Group join(Principal caller, String idOrName, String code) {
        var text = code == null ? "" : code.strip();
        if (text.startsWith(GroupInvite.LINK_PREFIX)) {
            text = text.substring(GroupInvite.LINK_PREFIX.length());
        }
        if (!INVITE_CODE.matcher(text).matches()) {
            throw ValidationException.of("code", "must be a group invite code (letters and digits) or its "
                    + GroupInvite.LINK_PREFIX + "… link");
        }
        var instance = online(caller, idOrName);
        var invite = text;
        Jid joined;
        try {
            joined = groups.join(instance.id(), invite, wait);
        } catch (GroupsPort.Rejected refused) {
            if (refused.code() == 400) {
                throw ValidationException.of("code", "WhatsApp refused the code: " + refused.getMessage());
            }
            if (refused.code() == 401 || refused.code() == 403) {
                throw new ForbiddenException("WhatsApp does not let this account join with that invite code");
            }
            throw new NotFoundException("no group has the invite code '" + invite + "' (it does not exist or was "
                    + "revoked)");
        } catch (MessagingPort.Offline offline) {
            throw notConnected(instance);
        }
        return existing(instance, joined);
    }

    @Override
    public String leave(Principal caller, String idOrName, String groupJid) {
        var jid = groupJid(groupJid);
        var instance = online(caller, idOrName);
        existing(instance, jid);
        ask(instance, () -> {
            groups.leave(instance.id(), jid, wait);
            return null;
        }, jid);
        return jid.toString();
    }

    // --- helpers ---

    private Instance online(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        if (!instance.hasPaired()) {
            throw notConnected(instance);
        }
        return instance;
    }

    private Group existing(Instance instance, Jid jid) {
        return ask(instance, () -> groups.metadata(instance.id(), jid, wait), jid)
                .orElseThrow(() -> notIn(jid));
    }

    private <T> T ask(Instance instance, java.util.function.Supplier<T> call) {
        return ask(instance, call, null);
    }

    /** Calls the engine, turning its failures into the API's: offline, refused (by code), unanswered. */
    private <T> T ask(Instance instance, java.util.function.Supplier<T> call, Jid group) {
        try {
            return call.get();
        } catch (MessagingPort.Offline offline) {
            throw notConnected(instance);
        } catch (GroupsPort.Rejected refused) {
            throw switch (refused.code()) {
                case 400, 406 -> ValidationException.of("body", "WhatsApp refused the request as malformed ("
                        + refused.code() + ")");
                case 401 -> new ForbiddenException("only the group's admins may do that, and this instance's "
                        + "account is not one");
                case 403 -> group == null ? new ForbiddenException("WhatsApp did not allow it (403)")
                        : new ForbiddenException("WhatsApp did not let this account do that in " + group
                                + " (only admins may, or the group is locked or announce-only)");
                case 404 -> group == null ? new NotFoundException("WhatsApp found nothing to change (404)")
                        : notIn(group);
                default -> new UnavailableException("WhatsApp refused the request (" + refused.code() + ")");
            };
        }
    }

    private static void checkSubject(Violations problems, String subject, boolean required) {
        if (subject == null || subject.isBlank()) {
            problems.add("subject", required ? "is required: the group's name, 1-" + MAX_SUBJECT + " characters"
                    : "must not be blank: the group's name, 1-" + MAX_SUBJECT + " characters");
            return;
        }
        var name = subject.strip();
        problems.check(name.codePointCount(0, name.length()) <= MAX_SUBJECT, "subject",
                "must be at most " + MAX_SUBJECT + " characters (WhatsApp's limit); got "
                        + name.codePointCount(0, name.length()));
    }

    /** Each participant read as a person (a number, a phone-number JID or a LID); a group or device is refused. */
    private static List<Recipient> people(Violations problems, List<String> given) {
        var people = new ArrayList<Recipient>();
        for (int i = 0; i < given.size() && i < MAX_PARTICIPANTS; i++) {
            var field = "participants[" + i + "]";
            try {
                var recipient = Recipient.parse(field, given.get(i));
                if (recipient instanceof Recipient.Group) {
                    problems.add(field, "must be a person (a phone number, …@s.whatsapp.net or …@lid), not a group");
                } else {
                    people.add(recipient);
                }
            } catch (ValidationException e) {
                e.violations().forEach(v -> problems.add(v.field(), v.problem()));
            }
        }
        return people;
    }

    /**
     * Each person's account as WhatsApp knows it (numbers and LIDs checked in one lookup, as for sends); empty when
     * not on it.
     */
    private List<Optional<Jid>> resolve(Instance instance, List<Recipient> people) {
        var asked = new LinkedHashSet<Jid>();
        people.forEach(person -> {
            if (person instanceof Recipient.Phone phone) {
                asked.addAll(phone.candidates());
            } else {
                asked.add(person.jid());
            }
        });
        List<MessagingPort.ContactLookup> answers;
        try {
            answers = asked.isEmpty() ? List.of() : messaging.lookup(instance.id(), List.copyOf(asked), wait);
        } catch (MessagingPort.Offline offline) {
            throw notConnected(instance);
        }
        return people.stream().map(person -> person instanceof Recipient.Phone phone
                ? MessageService.firstExisting(phone.candidates(), answers).map(a -> a.jid().orElse(a.asked()))
                : MessageService.firstExisting(List.of(person.jid()), answers).map(a -> person.jid())).toList();
    }

    private static Jid own(Instance instance) {
        return Jid.phone(instance.account().phoneNumber());
    }

    private static Optional<Group.Participant> self(Instance instance, Group group) {
        var lid = Optional.ofNullable(instance.account().lid())
                .flatMap(text -> text.contains("@") ? Jid.parse(text) : Optional.of(Jid.lid(text)))
                .map(Jid::toNonDevice);
        return group.member(own(instance), lid);
    }

    private static Optional<String> problem(String action, int status) {
        return switch (status) {
            case 200 -> Optional.empty();
            case 403 -> Optional.of(action.equals("add")
                    ? "WhatsApp did not allow adding them (their privacy settings); send them the invite link"
                    : "WhatsApp did not allow it");
            case 404 -> Optional.of(action.equals("add") ? "is not on WhatsApp" : "is not a member of the group");
            case 408 -> Optional.of("left the group recently; WhatsApp does not let them be added back yet");
            case 409 -> Optional.of(action.equals("add") ? "is already a member of the group"
                    : "cannot be " + action + "d (409)");
            default -> Optional.of("WhatsApp answered " + status + " for them");
        };
    }

    private static Jid groupJid(String text) {
        var value = text == null ? "" : text.strip();
        var jid = Jid.parse(value.contains("@") ? value : value + "@" + Jid.GROUP_SERVER);
        return jid.filter(Jid::isGroup).filter(j -> !j.hasDevice()).orElseThrow(() -> ValidationException.of("jid",
                "'" + value + "' is not a group JID: use the group's <id>@g.us"));
    }

    private static NotFoundException notIn(Jid group) {
        return new NotFoundException("group '" + group + "' not found: it does not exist or this instance's "
                + "account is not in it");
    }

    private static NotConnectedException notConnected(Instance instance) {
        return new NotConnectedException("instance '" + instance.name().value() + "' is not connected to "
                + "WhatsApp: groups can only be read and changed while it is online");
    }
}
