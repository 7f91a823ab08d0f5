package ponte.adapters.whatsapp.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import ponte.adapters.whatsapp.crypto.AesGcm;
import ponte.adapters.whatsapp.crypto.Hkdf;

/**
 * The encryption of poll votes (protocol facts as whatsmeow's {@code msgsecret.go} and Baileys'
 * {@code decryptPollVote} apply them): a vote ({@code PollUpdateMessage.vote}) is a {@code PollVoteMessage}
 * sealed with AES-256-GCM under
 * <pre>
 * key = HKDF-SHA256(ikm = poll secret, salt = none, info = poll id ‖ creator JID ‖ voter JID ‖ "Poll Vote", 32)
 * aad = poll id ‖ 0x00 ‖ voter JID
 * </pre>
 * with a 12-byte random IV; JIDs are account JIDs without device, as UTF-8. Each chosen option is named by the
 * SHA-256 of its name.
 */
public final class PollVotes {
    /** The IV length of a vote, bytes. */
    public static final int IV_LENGTH = 12;
    private static final byte[] USE_CASE = "Poll Vote".getBytes(StandardCharsets.UTF_8);

    private PollVotes() {
    }

    /** The 32-byte key of {@code voter}'s votes on the poll {@code pollId} by {@code creator}. */
    static byte[] key(byte[] secret, String pollId, String creator, String voter) {
        var info = new ByteArrayOutputStream();
        info.writeBytes(pollId.getBytes(StandardCharsets.UTF_8));
        info.writeBytes(creator.getBytes(StandardCharsets.UTF_8));
        info.writeBytes(voter.getBytes(StandardCharsets.UTF_8));
        info.writeBytes(USE_CASE);
        return Hkdf.sha256(secret, null, info.toByteArray(), 32);
    }

    private static byte[] aad(String pollId, String voter) {
        return (pollId + "\u0000" + voter).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Opens a vote: the SHA-256 hashes of the chosen options.
     *
     * @throws ponte.adapters.whatsapp.crypto.CryptoException when the tag does not verify (wrong secret or names)
     */
    public static List<byte[]> open(byte[] secret, String pollId, String creator, String voter, byte[] iv,
                                    byte[] payload) {
        byte[] plaintext = AesGcm.decrypt(key(secret, pollId, creator, voter), iv, payload, aad(pollId, voter));
        try {
            return new ArrayList<>(ponte.adapters.whatsapp.proto.E2e.PollVoteMessage.parseFrom(plaintext)
                    .getSelectedOptionsList().stream().map(com.google.protobuf.ByteString::toByteArray).toList());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a poll vote that is not a PollVoteMessage", e);
        }
    }

    /** Seals a vote for {@code options} (their names) under the given IV: the {@code encPayload}. */
    public static byte[] seal(byte[] secret, String pollId, String creator, String voter, byte[] iv,
                              List<String> options) {
        var vote = ponte.adapters.whatsapp.proto.E2e.PollVoteMessage.newBuilder();
        options.forEach(option -> vote.addSelectedOptions(com.google.protobuf.ByteString.copyFrom(hash(option))));
        return AesGcm.encrypt(key(secret, pollId, creator, voter), iv, vote.build().toByteArray(),
                aad(pollId, voter));
    }

    /** The SHA-256 of an option's name (UTF-8), as votes name it. */
    public static byte[] hash(String option) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(option.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the options whose hashes a vote chose, in the poll's order; unknown hashes are dropped. */
    public static List<String> names(List<String> options, List<byte[]> chosen) {
        var hex = HexFormat.of();
        var wanted = chosen.stream().map(hex::formatHex).toList();
        return options.stream().filter(option -> wanted.contains(hex.formatHex(hash(option)))).toList();
    }
}
