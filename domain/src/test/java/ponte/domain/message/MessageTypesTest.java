package ponte.domain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

/** The message types of issue 11: their validation, their wire form and their vCards. */
class MessageTypesTest {
    private static final Jid PEER = Jid.phone("5511987650002");
    private static final Sender BRUNO = new Sender(Optional.of(PEER), Optional.empty(), Optional.of("Bruno"));

    @Test
    void aPollHasTwoToTwelveDistinctOptionsAndEveryProblemIsNamed() {
        assertThat(((Message.Poll) OutgoingMessage.poll("5511987650002", "Cor?", List.of("Azul", "Verde"), null,
                null, null, null).content()).multiple()).isFalse();
        assertThatThrownBy(() -> OutgoingMessage.poll("5511987650002", "Cor?", List.of("Azul"), true, null, null,
                null)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e))
                .containsExactly("options"));
        var thirteen = java.util.stream.IntStream.rangeClosed(1, 13).mapToObj(Integer::toString).toList();
        assertThatThrownBy(() -> OutgoingMessage.poll("5511987650002", "Cor?", thirteen, true, null, null, null))
                .hasMessageContaining("got 13");
        assertThatThrownBy(() -> OutgoingMessage.poll("x", " ", List.of("a", "a", " "), true, "bad id", null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e)).containsExactly(
                        "to", "question", "options[1]", "options[2]", "reply_to"));
    }

    @Test
    void locationsContactsReactionsAndMediaCheckTheirOwnFields() {
        assertThatThrownBy(() -> OutgoingMessage.location("5511987650002", 90.5, null, null, null, null, null,
                null)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e))
                .containsExactly("latitude", "longitude"));
        assertThatThrownBy(() -> OutgoingMessage.contact("5511987650002", List.of(new OutgoingContent.CardInput(
                "Ana", List.of("abc"), null, "not-an-email")), null, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e))
                        .containsExactly("contacts[0].phones[0]", "contacts[0].email"));
        assertThat(OutgoingMessage.reaction("5511987650002", "3EB0A1B2C3D4E5F6A7B8C9", null, null).content())
                .isEqualTo(new Message.Reaction(new MessageId("3EB0A1B2C3D4E5F6A7B8C9"), ""));
        assertThatThrownBy(() -> OutgoingMessage.media("5511987650002", MediaType.STICKER, null, "not base64!",
                "a caption", null, null, true, null, null, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e))
                        .containsExactly("base64", "caption", "ptt"));
        var audio = (MediaContent) OutgoingMessage.media("5511987650002", MediaType.AUDIO, null, "T2dnUw==", null,
                null, null, null, null, null, null, null).content();
        assertThat(audio.ptt()).as("audio is a voice note unless told otherwise").isTrue();
        assertThat(((MediaContent.Source.Inline) audio.source()).bytes()).containsExactly('O', 'g', 'g', 'S');
    }

    @Test
    void aVoiceNotesWaveformIsSixtyFourNumbersFromZeroToAHundredAndShowsInTheWireForm() {
        var ramp = java.util.stream.IntStream.range(0, 64).map(i -> i * 100 / 63).boxed().toList();
        var voice = (MediaContent) OutgoingMessage.media("5511987650002", MediaType.AUDIO, null, "T2dnUw==", null,
                null, null, null, null, ramp, null, null, null).content();
        assertThat(voice.waveform().orElseThrow().values()).isEqualTo(ramp);
        for (var wrong : List.of(ramp.subList(0, 63), java.util.stream.Stream.concat(ramp.subList(0, 63).stream(),
                java.util.stream.Stream.of(101)).toList())) {
            assertThatThrownBy(() -> OutgoingMessage.media("5511987650002", MediaType.AUDIO, null, "T2dnUw==", null,
                    null, null, null, null, wrong, null, null, null)).isInstanceOfSatisfying(
                    ValidationException.class, e -> assertThat(fields(e)).containsExactly("waveform"));
        }
        assertThatThrownBy(() -> OutgoingMessage.media("5511987650002", MediaType.AUDIO, null, "T2dnUw==", null,
                null, null, false, null, ramp, null, null, null)).as("a waveform is for voice notes")
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(fields(e))
                        .containsExactly("waveform"));
        assertThatThrownBy(() -> OutgoingMessage.media("5511987650002", MediaType.VIDEO, null, "T2dnUw==", null,
                null, null, null, null, ramp, null, null, null)).isInstanceOf(ValidationException.class);

        var info = MediaInfo.of("audio/ogg; codecs=opus").withExtras(voice.waveform(), OptionalInt.empty());
        assertThat(info.wireForm()).containsEntry("waveform", ramp).doesNotContainKey("page_count");
        assertThat(MediaInfo.of("application/pdf").withExtras(Optional.empty(), OptionalInt.of(12)).wireForm())
                .containsEntry("page_count", 12).doesNotContainKey("waveform");
        assertThat(Waveform.received(new byte[] {0, 50, (byte) 200})).as("out-of-range bytes from a peer").isEmpty();
        assertThat(Waveform.received(new byte[65])).isEmpty();
    }

    @Test
    void aContactCardSurvivesItsVcard() {
        var card = new ContactCard("Ana; Souza", List.of("+55 11 98765-0003"), Optional.of("Loja"),
                Optional.of("ana@example.com"));
        var back = ContactCard.fromVcard("ignored", card.vcard());
        assertThat(back).isEqualTo(new ContactCard("Ana; Souza", List.of("+5511987650003"), Optional.of("Loja"),
                Optional.of("ana@example.com")));
        assertThat(ContactCard.fromVcard("Shown", "BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.TEL:+1 555 0100\r\nEND:VCARD"))
                .isEqualTo(new ContactCard("Shown", List.of("+1 555 0100"), Optional.empty(), Optional.empty()));
    }

    @Test
    void theWireFormShowsEachTypesFieldsAndTheEventItsKind() {
        var at = Instant.parse("2026-11-30T12:00:00Z");
        var media = new Message.Media(MediaType.VIDEO, new MediaInfo("video/mp4", Optional.empty(), OptionalLong.of(
                1024), Optional.empty(), OptionalInt.of(3), OptionalInt.of(640), OptionalInt.of(480), Optional.empty(),
                false, true, false, Optional.empty()).withError("gone"), Optional.of("olha"), true);
        var wire = message(media, at).wireForm();
        assertThat(wire).containsEntry("type", "video").containsEntry("caption", "olha")
                .containsEntry("view_once", true);
        assertThat(wire.get("media")).isEqualTo(Map.of("mime_type", "video/mp4", "size", 1024L, "duration_s", 3,
                "width", 640, "height", 480, "gif", true, "error", "gone"));
        var vote = message(new Message.PollVote(new MessageId("3EB0A1B2C3D4E5F6A7B8C9"), List.of("Tarde")), at);
        assertThat(MessageExchanged.of(vote).data()).containsEntry("type", "poll_vote");
        assertThat(vote.wireForm().get("poll_vote")).isEqualTo(Map.of("message_id", "3EB0A1B2C3D4E5F6A7B8C9",
                "options", List.of("Tarde")));
        var edited = message(new Message.Text("novo"), at).edited(new Message.Text("novo"), at.plusSeconds(5));
        assertThat(new MessageExchanged(MessageExchanged.Kind.EDITED, edited).data().get("message"))
                .isInstanceOfSatisfying(Map.class, m -> assertThat(m).containsEntry("edited_at",
                        "2026-11-30T12:00:05Z"));
        assertThatThrownBy(() -> new MessageExchanged(MessageExchanged.Kind.REVOKED, edited))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(edited.asRevoked().wireForm()).containsEntry("revoked", true).containsEntry("type", "revoked")
                .doesNotContainKey("text").containsEntry("edited_at", "2026-11-30T12:00:05Z");
        var picture = message(new Message.Media(MediaType.IMAGE, new MediaInfo("image/jpeg", Optional.empty(),
                java.util.OptionalLong.of(9), Optional.empty(), java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), Optional.of("https://x/y"),
                false, false, false, Optional.empty()), Optional.of("segredo"), false), at);
        assertThat(picture.asRevoked().wireForm()).as("a deleted message keeps no content")
                .doesNotContainKeys("caption", "media").containsEntry("revoked", true);
    }

    private static Message message(Message.Body body, Instant at) {
        return new Message(new MessageId("3EB0FFFFFFFFFFFFFFFFFF"), PEER, false, BRUNO, at, MessageStatus.DELIVERED,
                body, Optional.empty(), List.of(), Optional.empty(), false);
    }

    private static List<String> fields(ValidationException e) {
        return e.violations().stream().map(v -> v.field()).toList();
    }
}
