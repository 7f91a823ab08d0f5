package ponte.adapters.whatsapp.appstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.proto.AppStateProto.ContactAction;
import ponte.adapters.whatsapp.proto.AppStateProto.LabelEditAction;
import ponte.adapters.whatsapp.proto.AppStateProto.MuteAction;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncActionValue;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation.SyncdOperation;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdPatch;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdSnapshot;

/**
 * Our app-state crypto against Baileys' (its key expansion and LTHash are whatsapp-rust-bridge's, its patch codec
 * chat-utils'), as known answers and in both directions: patches Baileys encodes verify and apply here to the same
 * LTHash, and the snapshots and patches we encode verify in Baileys. Tampered patches apply nothing.
 */
class AppStateOracleTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String CONTACT = "5511988887777@s.whatsapp.net";
    private final SecureRandom random = new SecureRandom();
    private final byte[] keyId = bytes(6);
    private final byte[] keyData = bytes(32);
    private final SyncdCodec.KeyLookup keys = id -> java.util.Arrays.equals(id, keyId)
            ? Optional.of(keyData) : Optional.empty();

    @Test
    void mutationKeysAreBaileysExpansion() {
        for (int i = 0; i < 3; i++) {
            byte[] data = bytes(32);
            JsonNode theirs = BaileysOracle.get().call(BaileysOracle.request("appStateKeys").put("keyData",
                    HEX.formatHex(data)));
            MutationKeys ours = MutationKeys.expand(data);
            assertThat(HEX.formatHex(ours.index())).isEqualTo(theirs.path("index").asText());
            assertThat(HEX.formatHex(ours.valueEncryption())).isEqualTo(theirs.path("valueEncryption").asText());
            assertThat(HEX.formatHex(ours.valueMac())).isEqualTo(theirs.path("valueMac").asText());
            assertThat(HEX.formatHex(ours.snapshotMac())).isEqualTo(theirs.path("snapshotMac").asText());
            assertThat(HEX.formatHex(ours.patchMac())).isEqualTo(theirs.path("patchMac").asText());
        }
    }

    @Test
    void ltHashIsBaileysSubtractThenAdd() {
        byte[] base = bytes(LtHash.SIZE);
        List<byte[]> remove = List.of(bytes(32), bytes(32));
        List<byte[]> add = List.of(bytes(32), bytes(32), bytes(32));
        ObjectNode request = BaileysOracle.request("ltHash").put("base", HEX.formatHex(base));
        remove.forEach(item -> request.withArray("remove").add(HEX.formatHex(item)));
        add.forEach(item -> request.withArray("add").add(HEX.formatHex(item)));

        byte[] ours = LtHash.subtractThenAdd(base, remove, add);

        assertThat(HEX.formatHex(ours)).isEqualTo(BaileysOracle.get().call(request).path("hash").asText());
        // additive: taking the same items out again returns the base
        assertThat(LtHash.subtractThenAdd(ours, add, remove)).isEqualTo(base);
    }

    @Test
    void patchesBaileysEncodesVerifyAndApplyToTheSameHash() throws Exception {
        CollectionState state = CollectionState.empty("critical_unblock_low");
        ObjectNode contact = action("contactAction").put("fullName", "Ana Souza");
        JsonNode first = baileysPatch(state, List.of("contact", CONTACT), contact, "SET");

        SyncdCodec.Applied applied = SyncdCodec.patch(state, SyncdPatch.parseFrom(hex(first.path("patch"))), keys);

        assertThat(applied.state().version()).isEqualTo(1);
        assertThat(HEX.formatHex(applied.state().hash())).isEqualTo(first.path("state").path("hash").asText());
        assertThat(applied.mutations()).singleElement().satisfies(mutation -> {
            assertThat(mutation.operation()).isEqualTo(SyncdOperation.SET);
            assertThat(mutation.index()).containsExactly("contact", CONTACT);
            assertThat(mutation.value().getContactAction().getFullName()).isEqualTo("Ana Souza");
        });

        // a REMOVE of the same index subtracts the value MAC we kept for it: back to the empty hash
        JsonNode removal = baileysPatch(applied.state(), List.of("contact", CONTACT), contact, "REMOVE");
        SyncdCodec.Applied removed = SyncdCodec.patch(applied.state(),
                SyncdPatch.parseFrom(hex(removal.path("patch"))), keys);
        assertThat(HEX.formatHex(removed.state().hash())).isEqualTo(removal.path("state").path("hash").asText())
                .isEqualTo(HEX.formatHex(LtHash.empty()));
        assertThat(removed.state().valueMacs()).isEmpty();
        assertThat(removed.mutations().getFirst().operation()).isEqualTo(SyncdOperation.REMOVE);
    }

    @Test
    void snapshotsAndPatchesWeEncodeVerifyInBaileys() throws Exception {
        List<SyncdCodec.Mutation> records = List.of(
                new SyncdCodec.Mutation(SyncdOperation.SET, List.of("contact", CONTACT), SyncActionValue.newBuilder()
                        .setTimestamp(1_700_000_000_000L)
                        .setContactAction(ContactAction.newBuilder().setFullName("Ana \"A\" Souza")).build()),
                new SyncdCodec.Mutation(SyncdOperation.SET, List.of("label_edit", "3"), SyncActionValue.newBuilder()
                        .setLabelEditAction(LabelEditAction.newBuilder().setName("Lead").setColor(4)).build()));
        // a collection at version 7: six patches of nothing, then the two records; its snapshot hands them out
        CollectionState state = new CollectionState("regular", 6, LtHash.empty(), Map.of());
        var patched = SyncdCodec.encodePatch(state, records, keyId, keyData, random);
        var snapshot = new SyncdCodec.Encoded<>(SyncdCodec.snapshotOf(patched.state(), patched.message()
                .getMutationsList().stream().map(m -> m.getRecord()).toList(), keyId, keyData), patched.state());

        JsonNode theirs = BaileysOracle.get().call(withKey(BaileysOracle.request("decodeSnapshot"))
                .put("name", "regular").put("snapshot", HEX.formatHex(snapshot.message().toByteArray())));

        assertThat(theirs.path("macValid").asBoolean()).isTrue();
        assertThat(theirs.path("state").path("version").asLong()).isEqualTo(7);
        assertThat(theirs.path("state").path("hash").asText()).isEqualTo(HEX.formatHex(snapshot.state().hash()));
        assertThat(theirs.path("mutations").toString()).contains("Ana \\\"A\\\" Souza", "\"Lead\"");
        // and our own decoder agrees with our encoder
        assertThat(SyncdCodec.snapshot("regular", snapshot.message(), keys).state().hash())
                .isEqualTo(snapshot.state().hash());

        var patch = SyncdCodec.encodePatch(snapshot.state(), List.of(new SyncdCodec.Mutation(SyncdOperation.SET,
                List.of("mute", CONTACT), SyncActionValue.newBuilder().setMuteAction(MuteAction.newBuilder()
                        .setMuted(true).setMuteEndTimestamp(1_800_000_000_000L)).build())), keyId, keyData, random);
        JsonNode decoded = BaileysOracle.get().call(withKey(BaileysOracle.request("decodePatch"))
                .put("name", "regular").put("patch", HEX.formatHex(patch.message().toByteArray()))
                .set("state", state(snapshot.state())));
        assertThat(decoded.path("state").path("version").asLong()).isEqualTo(8);
        assertThat(decoded.path("state").path("hash").asText()).isEqualTo(HEX.formatHex(patch.state().hash()));
        assertThat(decoded.path("mutations").toString()).contains("muteAction", "mute");
    }

    @Test
    void aTamperedPatchAppliesNothing() throws Exception {
        CollectionState state = CollectionState.empty("regular_high");
        ObjectNode pin = action("pinAction").put("pinned", true);
        SyncdPatch good = SyncdPatch.parseFrom(hex(baileysPatch(state, List.of("pin_v1", CONTACT), pin, "SET")
                .path("patch")));

        byte[] value = good.getMutations(0).getRecord().getValue().getBlob().toByteArray();
        value[20] ^= 1;
        SyncdPatch badValue = good.toBuilder().setMutations(0, good.getMutations(0).toBuilder().setRecord(
                good.getMutations(0).getRecord().toBuilder().setValue(good.getMutations(0).getRecord().getValue()
                        .toBuilder().setBlob(ByteString.copyFrom(value))))).build();
        byte[] patchMac = good.getPatchMac().toByteArray();
        patchMac[0] ^= 1;
        byte[] snapshotMac = good.getSnapshotMac().toByteArray();
        snapshotMac[0] ^= 1;

        for (SyncdPatch bad : List.of(badValue, good.toBuilder().setPatchMac(ByteString.copyFrom(patchMac)).build(),
                good.toBuilder().setSnapshotMac(ByteString.copyFrom(snapshotMac)).build())) {
            assertThatThrownBy(() -> SyncdCodec.patch(state, bad, keys)).isInstanceOf(SyncdException.class)
                    .hasMessageContaining("does not match");
        }
        // an older version, and a key we do not have
        var applied = SyncdCodec.patch(state, good, keys);
        assertThatThrownBy(() -> SyncdCodec.patch(applied.state(), good, keys)).hasMessageContaining("not newer");
        assertThatThrownBy(() -> SyncdCodec.patch(state, good, id -> Optional.empty()))
                .isInstanceOf(SyncdException.MissingKey.class);
        assertThat(state.version()).isZero();
        assertThat(state.hash()).isEqualTo(LtHash.empty());
    }

    @Test
    void indexesRoundTripAsJsonArraysOfStrings() {
        List<String> index = List.of("label_message", "3", CONTACT, "ABC\"\\", "0", "ü");
        assertThat(SyncdIndex.decode(SyncdIndex.encode(index))).isEqualTo(index);
        assertThat(SyncdIndex.decode("[ \"a\" , \"b\\u0041\" ]".getBytes())).containsExactly("a", "bA");
        assertThatThrownBy(() -> SyncdIndex.decode("[1]".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode baileysPatch(CollectionState state, List<String> index, ObjectNode action, String operation) {
        ObjectNode request = withKey(BaileysOracle.request("encodePatch")).put("name", state.name())
                .put("operation", operation);
        index.forEach(part -> request.withArray("index").add(part));
        request.set("action", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set(actionName(action), action));
        request.set("state", state(state));
        return BaileysOracle.get().call(request);
    }

    /** The inner object of a SyncActionValue with one action; its parent remembers the action's name. */
    private final Map<ObjectNode, String> actionNames = new java.util.IdentityHashMap<>();

    private ObjectNode action(String name) {
        ObjectNode inner = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        actionNames.put(inner, name);
        return inner;
    }

    private String actionName(ObjectNode inner) {
        return actionNames.get(inner);
    }

    private ObjectNode withKey(ObjectNode request) {
        return request.put("keyId", HEX.formatHex(keyId)).put("keyData", HEX.formatHex(keyData));
    }

    private static ObjectNode state(CollectionState state) {
        ObjectNode json = BaileysOracle.request("x").put("version", state.version())
                .put("hash", HEX.formatHex(state.hash()));
        ObjectNode macs = json.putObject("indexValueMap");
        state.valueMacs().forEach((index, mac) -> macs.put(index, HEX.formatHex(mac)));
        json.remove("op");
        return json;
    }

    private static byte[] hex(JsonNode node) {
        return HEX.parseHex(node.asText());
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }
}
