package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The e2e form of an outgoing text: a plain conversation, or an ExtendedTextMessage whose contextInfo quotes. */
class OutgoingTextTest {

    @Test
    void aPlainTextIsAConversation() {
        var message = OutgoingText.plain("5511999990000", "oi", "ABC").content();

        assertThat(message.hasConversation()).isTrue();
        assertThat(message.getConversation()).isEqualTo("oi");
        assertThat(message.hasExtendedTextMessage()).isFalse();
    }

    @Test
    void aReplyWithMentionsCarriesTheQuoteAndTheMentionedJidsInItsContextInfoAndNoPreview() {
        var quote = new OutgoingText.Quote("3EB0QUOTED", "5511999990000@s.whatsapp.net", Optional.of("pergunta?"));
        var message = new OutgoingText("5511999990000", "resposta @5511888880000", "3EB0REPLY", Optional.of(quote),
                List.of("5511888880000@s.whatsapp.net")).content();

        assertThat(message.hasConversation()).isFalse();
        var extended = message.getExtendedTextMessage();
        assertThat(extended.getText()).isEqualTo("resposta @5511888880000");
        var context = extended.getContextInfo();
        assertThat(context.getStanzaId()).isEqualTo("3EB0QUOTED");
        assertThat(context.getParticipant()).isEqualTo("5511999990000@s.whatsapp.net");
        assertThat(context.getQuotedMessage().getConversation()).isEqualTo("pergunta?");
        assertThat(context.getMentionedJidList()).containsExactly("5511888880000@s.whatsapp.net");
        // WhatsApp's field number: ExtendedTextMessage.contextInfo = 17, a length-delimited field (tag varint 8a 01)
        byte[] wire = extended.toByteArray();
        assertThat(wire).containsSequence((byte) 0x8a, (byte) 0x01);
    }

    @Test
    void aReplyWithoutTheQuotedTextStillNamesTheQuotedMessage() {
        var quote = new OutgoingText.Quote("3EB0QUOTED", "5511999990000@s.whatsapp.net", Optional.empty());
        var context = new OutgoingText("5511999990000", "ok", "3EB0REPLY", Optional.of(quote), List.of())
                .content().getExtendedTextMessage().getContextInfo();

        assertThat(context.getStanzaId()).isEqualTo("3EB0QUOTED");
        assertThat(context.hasQuotedMessage()).isFalse();
    }
}
