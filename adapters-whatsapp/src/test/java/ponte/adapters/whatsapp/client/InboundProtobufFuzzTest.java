package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.appstate.CollectionState;
import ponte.adapters.whatsapp.appstate.LtHash;
import ponte.adapters.whatsapp.appstate.SyncdCodec;
import ponte.adapters.whatsapp.appstate.SyncdException;
import ponte.adapters.whatsapp.fuzz.NetworkInput;
import ponte.adapters.whatsapp.fuzz.Seeds;
import ponte.adapters.whatsapp.proto.AppStateProto.ContactAction;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncActionValue;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation.SyncdOperation;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdPatch;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdSnapshot;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.proto.History;

/**
 * Coverage-guided fuzzing of the protobuf messages we parse from peers and from our own phone (issue 17 item 3): an
 * end-to-end {@code Message} (every type, with its media descriptor) read into the API's message, a history sync read
 * field by field, and an app-state snapshot and patch checked and opened. Each either reads or fails with its own
 * decode error; protobuf's {@link InvalidProtocolBufferException} (an {@link IOException}) is the parser's.
 */
class InboundProtobufFuzzTest {

    private static final byte[] KEY_ID = {0, 0, 0, 1};
    private static final byte[] KEY_DATA = new byte[32];
    private static final SyncdCodec.KeyLookup KEYS =
            id -> java.util.Arrays.equals(id, KEY_ID) ? Optional.of(KEY_DATA.clone()) : Optional.empty();

    @FuzzTest(maxDuration = "90s")
    void message(byte[] plaintext) {
        NetworkInput.decodes(plaintext.length, () -> MessageContents.decode(E2e.Message.parseFrom(plaintext)),
                InvalidProtocolBufferException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void history(byte[] inflated) {
        NetworkInput.decodes(inflated.length, () -> HistoryReader.read(new ByteArrayInputStream(inflated), true,
                new HistoryReader.Visitor() {
                    @Override
                    public void message(String chatJid, History.WebMessageInfo message) {
                        MessageContents.decode(message.getMessage());
                    }
                }), IOException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void appStateSnapshot(byte[] snapshot) {
        NetworkInput.decodes(snapshot.length,
                () -> SyncdCodec.snapshot("regular", SyncdSnapshot.parseFrom(snapshot), KEYS),
                InvalidProtocolBufferException.class, SyncdException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void appStatePatch(byte[] patch) {
        NetworkInput.decodes(patch.length, () -> SyncdCodec.patch(state(), SyncdPatch.parseFrom(patch), KEYS),
                InvalidProtocolBufferException.class, SyncdException.class);
    }

    /** Real messages of each kind are the seeds, and they read. */
    @Test
    void seedsAreRealMessages() throws Exception {
        var image = E2e.Message.newBuilder().setImageMessage(E2e.ImageMessage.newBuilder()
                .setUrl("https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/m231/abc")
                .setDirectPath("/o1/v/t62.7118-24/f1/m231/abc").setMimetype("image/jpeg")
                .setMediaKey(ByteString.copyFrom(new byte[32])).setFileSha256(ByteString.copyFrom(new byte[32]))
                .setFileEncSha256(ByteString.copyFrom(new byte[32])).setFileLength(1234).setCaption("a caption"))
                .build().toByteArray();
        var text = E2e.Message.newBuilder().setExtendedTextMessage(E2e.ExtendedTextMessage.newBuilder()
                .setText("hello @5511900000001").setContextInfo(E2e.ContextInfo.newBuilder()
                        .addMentionedJid("5511900000001@s.whatsapp.net").setStanzaId("3EB0AAAA")
                        .setParticipant("5511900000001@s.whatsapp.net")
                        .setQuotedMessage(E2e.Message.newBuilder().setConversation("quoted"))))
                .build().toByteArray();
        Seeds.write(InboundProtobufFuzzTest.class, "message", image);
        Seeds.write(InboundProtobufFuzzTest.class, "message", text);
        assertThat(MessageContents.decode(E2e.Message.parseFrom(image)).file()).isPresent();
        assertThat(MessageContents.decode(E2e.Message.parseFrom(text)).body()).isPresent();

        byte[] history = History.HistorySync.newBuilder()
                .addConversations(History.Conversation.newBuilder().setId("5511900000001@s.whatsapp.net")
                        .setName("Ana").addMessages(History.HistorySyncMsg.newBuilder()
                                .setMessage(History.WebMessageInfo.newBuilder()
                                        .setKey(History.MessageKey.newBuilder().setId("3EB0BBBB").setFromMe(false)
                                                .setRemoteJid("5511900000001@s.whatsapp.net"))
                                        .setMessage(E2e.Message.newBuilder().setConversation("old")))))
                .addPushnames(History.Pushname.newBuilder().setId("5511900000001@s.whatsapp.net").setPushname("Ana"))
                .build().toByteArray();
        Seeds.write(InboundProtobufFuzzTest.class, "history", history);
        int[] messages = {0};
        HistoryReader.read(new ByteArrayInputStream(history), true, new HistoryReader.Visitor() {
            @Override
            public void message(String chatJid, History.WebMessageInfo message) {
                messages[0]++;
            }
        });
        assertThat(messages[0]).isEqualTo(1);

        var mutations = List.of(new SyncdCodec.Mutation(SyncdOperation.SET,
                List.of("contact", "5511900000001@s.whatsapp.net"), SyncActionValue.newBuilder()
                        .setTimestamp(1_700_000_000_000L)
                        .setContactAction(ContactAction.newBuilder().setFullName("Ana Souza")).build()));
        var patched = SyncdCodec.encodePatch(state(), mutations, KEY_ID, KEY_DATA, new SecureRandom());
        var snapshot = SyncdCodec.snapshotOf(patched.state(), patched.message().getMutationsList().stream()
                .map(m -> m.getRecord()).toList(), KEY_ID, KEY_DATA);
        Seeds.write(InboundProtobufFuzzTest.class, "appStatePatch", patched.message().toByteArray());
        Seeds.write(InboundProtobufFuzzTest.class, "appStateSnapshot", snapshot.toByteArray());
        assertThat(SyncdCodec.patch(state(), patched.message(), KEYS).mutations()).hasSize(1);
        assertThat(SyncdCodec.snapshot("regular", snapshot, KEYS).mutations()).hasSize(1);
    }

    private static CollectionState state() {
        return new CollectionState("regular", 6, LtHash.empty(), Map.of());
    }
}
