package ponte.adapters.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.oracle.BaileysOracle;

/** Ponte's media crypto against Baileys': each opens what the other sealed, and a tampered body yields nothing. */
class MediaCipherOracleTest {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void keysMatchBaileysForEveryFamily() {
        byte[] mediaKey = bytes(32);
        for (MediaType type : new MediaType[] {MediaType.IMAGE, MediaType.VIDEO, MediaType.AUDIO, MediaType.DOCUMENT,
                MediaType.STICKER, MediaType.PTT, MediaType.HISTORY, MediaType.APP_STATE}) {
            JsonNode theirs = BaileysOracle.get().call(BaileysOracle.request("mediaKeys")
                    .put("mediaKey", HEX.formatHex(mediaKey)).put("mediaType", type.wireName()));
            MediaKeys ours = MediaKeys.expand(mediaKey, type);
            assertThat(HEX.formatHex(ours.iv())).as(type.name()).isEqualTo(theirs.path("iv").asText());
            assertThat(HEX.formatHex(ours.cipherKey())).isEqualTo(theirs.path("cipherKey").asText());
            assertThat(HEX.formatHex(ours.macKey())).isEqualTo(theirs.path("macKey").asText());
        }
    }

    @Test
    void baileysSealedFilesOpenWithOurs() throws Exception {
        for (int size : new int[] {0, 1, 15, 16, 17, 65_537, 1_000_003}) {
            Path plain = randomFile("plain-" + size, size);
            Path body = dir.resolve("baileys-body-" + size);
            JsonNode sealed = BaileysOracle.get().call(BaileysOracle.request("mediaEncrypt")
                    .put("path", plain.toString()).put("mediaType", "video").put("out", body.toString()));
            assertThat(sealed.path("fileLength").asLong()).isEqualTo(size);
            Path opened = dir.resolve("opened-" + size);
            try (OutputStream out = Files.newOutputStream(opened)) {
                long length = MediaCipher.open(HEX.parseHex(sealed.path("mediaKey").asText()), MediaType.VIDEO, body,
                        HEX.parseHex(sealed.path("fileEncSha256").asText()),
                        HEX.parseHex(sealed.path("fileSha256").asText()), out);
                assertThat(length).isEqualTo(size);
            }
            assertThat(Files.mismatch(plain, opened)).isEqualTo(-1L);
        }
    }

    @Test
    void oursOpenWithBaileysAndCarryTheSameHashes() throws Exception {
        for (int size : new int[] {1, 16, 100_000, 2_000_001}) {
            Path plain = randomFile("plain-" + size, size);
            Path body = dir.resolve("ponte-body-" + size);
            byte[] mediaKey = bytes(32);
            MediaCipher.Sealed sealed;
            try (InputStream in = Files.newInputStream(plain); OutputStream out = Files.newOutputStream(body)) {
                sealed = MediaCipher.encrypt(mediaKey, MediaType.DOCUMENT, in, out);
            }
            assertThat(sealed.fileLength()).isEqualTo(size);
            assertThat(sealed.bodyLength()).isEqualTo(Files.size(body)).isEqualTo((size / 16 + 1) * 16 + 10);
            assertThat(sealed.fileSha256()).isEqualTo(sha256(Files.readAllBytes(plain)));
            assertThat(sealed.fileEncSha256()).isEqualTo(sha256(Files.readAllBytes(body)));
            Path opened = dir.resolve("baileys-opened-" + size);
            BaileysOracle.get().call(BaileysOracle.request("mediaDecrypt").put("path", body.toString())
                    .put("mediaType", "document").put("mediaKey", HEX.formatHex(mediaKey))
                    .put("out", opened.toString()));
            assertThat(Files.mismatch(plain, opened)).isEqualTo(-1L);
        }
    }

    @Test
    void aTamperedBodyOrHashYieldsNoPlaintext() throws Exception {
        Path plain = randomFile("plain", 50_000);
        Path body = dir.resolve("body");
        JsonNode sealed = BaileysOracle.get().call(BaileysOracle.request("mediaEncrypt")
                .put("path", plain.toString()).put("mediaType", "image").put("out", body.toString()));
        byte[] mediaKey = HEX.parseHex(sealed.path("mediaKey").asText());
        byte[] encSha = HEX.parseHex(sealed.path("fileEncSha256").asText());
        byte[] sha = HEX.parseHex(sealed.path("fileSha256").asText());
        byte[] original = Files.readAllBytes(body);

        // one flipped bit in the MAC, with a hash that matches the tampered body: the MAC refuses it
        byte[] badMac = original.clone();
        badMac[badMac.length - 1] ^= 1;
        assertRefused(mediaKey, MediaType.IMAGE, badMac, sha256(badMac), sha, "MAC");
        // one flipped bit in the ciphertext, same
        byte[] badCipher = original.clone();
        badCipher[100] ^= 0x40;
        assertRefused(mediaKey, MediaType.IMAGE, badCipher, sha256(badCipher), sha, "MAC");
        // the right body under a wrong fileEncSha256
        byte[] wrongHash = encSha.clone();
        wrongHash[0] ^= 1;
        assertRefused(mediaKey, MediaType.IMAGE, original, wrongHash, sha, "fileEncSha256");
        // the right key of the wrong family (video keys for an image) fails the MAC
        assertRefused(mediaKey, MediaType.VIDEO, original, encSha, sha, "MAC");
        // a truncated body
        byte[] truncated = java.util.Arrays.copyOf(original, original.length - 16);
        assertRefused(mediaKey, MediaType.IMAGE, truncated, sha256(truncated), sha, "");
        // a body that checks out but whose plaintext is not the one described: refused after decryption
        byte[] otherSha = sha.clone();
        otherSha[5] ^= 1;
        Files.write(body, original);
        assertThatThrownBy(() -> MediaCipher.open(mediaKey, MediaType.IMAGE, body, encSha, otherSha,
                OutputStream.nullOutputStream())).isInstanceOf(MediaIntegrityException.class)
                .hasMessageContaining("fileSha256");
    }

    @Test
    void mediaRetryPayloadsAreSealedAsBaileysSealsThem() {
        byte[] mediaKey = bytes(32);
        String id = "3EB0C431C26A1916E0E0";
        JsonNode request = BaileysOracle.get().call(BaileysOracle.request("mediaRetryRequest").put("id", id)
                .put("remoteJid", "5511987650277@s.whatsapp.net").put("fromMe", false)
                .put("mediaKey", HEX.formatHex(mediaKey)).put("meId", "5511987650242:3@s.whatsapp.net"));
        assertThat(request.path("to").asText()).isEqualTo("5511987650242@s.whatsapp.net");
        var sealed = new MediaRetryCrypto.Sealed(HEX.parseHex(request.path("encP").asText()),
                HEX.parseHex(request.path("encIv").asText()));
        assertThat(MediaRetryCrypto.openRequest(mediaKey, id, sealed)).isEqualTo(id);
        assertThatThrownBy(() -> MediaRetryCrypto.openRequest(mediaKey, "OTHER", sealed))
                .isInstanceOf(ponte.adapters.whatsapp.crypto.CryptoException.class);
        assertThatThrownBy(() -> MediaRetryCrypto.openRequest(bytes(32), id, sealed))
                .isInstanceOf(ponte.adapters.whatsapp.crypto.CryptoException.class);

        var answer = MediaRetryCrypto.sealNotification(mediaKey, id,
                ponte.adapters.whatsapp.proto.MediaRetryProto.MediaRetryNotification.newBuilder().setStanzaId(id)
                        .setDirectPath("/v/t62.7118-24/new").setResult(
                                ponte.adapters.whatsapp.proto.MediaRetryProto.MediaRetryNotification.ResultType
                                        .SUCCESS).build(), random);
        JsonNode opened = BaileysOracle.get().call(BaileysOracle.request("mediaRetryDecrypt")
                .put("ciphertext", HEX.formatHex(answer.ciphertext())).put("iv", HEX.formatHex(answer.iv()))
                .put("mediaKey", HEX.formatHex(mediaKey)).put("id", id));
        assertThat(opened.path("stanzaId").asText()).isEqualTo(id);
        assertThat(opened.path("directPath").asText()).isEqualTo("/v/t62.7118-24/new");
        assertThat(opened.path("result").asInt()).isEqualTo(1);
    }

    private void assertRefused(byte[] mediaKey, MediaType type, byte[] bodyBytes, byte[] encSha, byte[] sha,
            String reason) throws IOException {
        Path body = dir.resolve("tampered");
        Files.write(body, bodyBytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> MediaCipher.open(mediaKey, type, body, encSha, sha, out))
                .isInstanceOf(MediaIntegrityException.class).hasMessageContaining(reason);
        assertThat(out.size()).as("bytes released before the check").isZero();
    }

    private Path randomFile(String name, int size) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes(size));
        return file;
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(byte[] bytes) {
        return MediaCipher.sha256().digest(bytes);
    }
}
