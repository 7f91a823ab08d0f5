package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.domain.message.Jid;
import ponte.domain.message.MediaType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;

/** Reading received contents: wrappers, media with its file, replies, edits and poll votes' crypto. */
class MessageContentsTest {
    private static final byte[] KEY = filled(1);
    private static final byte[] SHA = filled(2);
    private static final byte[] ENC_SHA = filled(3);

    @Test
    void aViewOnceImageWithAReplyIsFlaggedAndNamesItsFile() {
        var image = E2e.ImageMessage.newBuilder().setMimetype("image/jpeg").setCaption("olha").setWidth(640)
                .setHeight(480).setFileLength(2048).setDirectPath("/v/t62.7118-24/abc").setMediaKey(bytes(KEY))
                .setFileSha256(bytes(SHA)).setFileEncSha256(bytes(ENC_SHA))
                .setContextInfo(E2e.ContextInfo.newBuilder().setStanzaId("3EB0A1B2C3D4E5F6A7B8C9")
                        .setParticipant("5511987650001@s.whatsapp.net").addMentionedJid("5511987650003@s.whatsapp.net"));
        var wrapped = E2e.Message.newBuilder().setViewOnceMessageV2(E2e.FutureProofMessage.newBuilder()
                .setMessage(E2e.Message.newBuilder().setImageMessage(image))).build();

        var decoded = MessageContents.decode(wrapped);

        var media = (Message.Media) decoded.body().orElseThrow();
        assertThat(media.kind()).isEqualTo(MediaType.IMAGE);
        assertThat(media.viewOnce()).isTrue();
        assertThat(media.caption()).contains("olha");
        assertThat(media.media().sha256()).contains(HexFormat.of().formatHex(SHA));
        assertThat(media.media().width()).hasValue(640);
        assertThat(decoded.file()).contains(new ReceivedFile(MediaType.IMAGE, "/v/t62.7118-24/abc", Optional.empty(),
                KEY, SHA, ENC_SHA, 2048));
        assertThat(decoded.quoted()).contains(new Message.Quoted(new MessageId("3EB0A1B2C3D4E5F6A7B8C9"),
                Jid.phone("5511987650001")));
        assertThat(decoded.mentions()).containsExactly(Jid.phone("5511987650003"));
    }

    @Test
    void aVoiceNoteIsAudioWithPttAndAnEditOfACaptionPointsAtTheOriginal() {
        var audio = E2e.Message.newBuilder().setAudioMessage(E2e.AudioMessage.newBuilder().setPtt(true)
                .setSeconds(7).setMimetype("audio/ogg; codecs=opus")).build();
        var voice = (Message.Media) MessageContents.decode(audio).body().orElseThrow();
        assertThat(voice.media().ptt()).isTrue();
        assertThat(voice.media().durationS()).hasValue(7);
        assertThat(voice.media().waveform()).isEmpty();
        assertThat(MessageContents.decode(audio).file()).as("no file named: nothing to download").isEmpty();
        byte[] bars = new byte[64];
        java.util.Arrays.fill(bars, (byte) 42);
        var drawn = (Message.Media) MessageContents.decode(audio.toBuilder().setAudioMessage(audio.getAudioMessage()
                .toBuilder().setWaveform(com.google.protobuf.ByteString.copyFrom(bars))).build()).body().orElseThrow();
        assertThat(drawn.media().waveform().orElseThrow().samples()).isEqualTo(bars);
        assertThat(drawn.media().wireForm()).containsEntry("duration_s", 7).containsKey("waveform");
        var pdf = (Message.Media) MessageContents.decode(E2e.Message.newBuilder().setDocumentMessage(
                E2e.DocumentMessage.newBuilder().setMimetype("application/pdf").setFileName("pedido.pdf")
                        .setPageCount(12)).build()).body().orElseThrow();
        assertThat(pdf.media().pageCount()).hasValue(12);
        assertThat(pdf.media().wireForm()).containsEntry("page_count", 12);

        var edit = E2e.Message.newBuilder().setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                .setType(E2e.ProtocolMessage.Type.MESSAGE_EDIT).setTimestampMs(1_700_000_000_000L)
                .setKey(E2e.MessageKey.newBuilder().setId("3EB0A1B2C3D4E5F6A7B8C9"))
                .setEditedMessage(E2e.Message.newBuilder().setConversation("novo"))).build();
        assertThat(MessageContents.decode(edit).change()).isEqualTo(new MessageContents.Change.Edit(
                new MessageId("3EB0A1B2C3D4E5F6A7B8C9"), new Message.Text("novo"),
                Optional.of(java.time.Instant.ofEpochMilli(1_700_000_000_000L))));
    }

    @Test
    void aVoteSealedForOneVoterOpensOnlyWithTheSamePollCreatorAndVoter() {
        byte[] secret = filled(9);
        byte[] iv = new byte[PollVotes.IV_LENGTH];
        var sealed = PollVotes.seal(secret, "POLL1", "5511987650001@s.whatsapp.net", "5511987650002@s.whatsapp.net",
                iv, List.of("Tarde"));
        var chosen = PollVotes.open(secret, "POLL1", "5511987650001@s.whatsapp.net", "5511987650002@s.whatsapp.net",
                iv, sealed);
        assertThat(PollVotes.names(List.of("Manhã", "Tarde"), chosen)).containsExactly("Tarde");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PollVotes.open(secret, "POLL1",
                "5511987650001@s.whatsapp.net", "5511987650009@s.whatsapp.net", iv, sealed))
                .as("another voter's key").isInstanceOf(RuntimeException.class);
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static ByteString bytes(byte[] bytes) {
        return ByteString.copyFrom(bytes);
    }
}
