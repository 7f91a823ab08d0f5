package ponte.adapters.whatsapp.sandbox;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.Wire.CertChain.NoiseCertificate;
import ponte.adapters.whatsapp.proto.Wire.CertChain;
import ponte.adapters.whatsapp.socket.TrustRoot;

/**
 * The sandbox's own certificate root. It issues WhatsApp-shaped chains, root → intermediate → leaf, whose leaf
 * certifies the sandbox server's static Noise key, so clients that trust this root verify the sandbox exactly
 * as they verify WhatsApp.
 */
public final class CertificateAuthority {

    /** WhatsApp's intermediate names issuer serial 0; the sandbox root keeps that shape. */
    public static final int ROOT_SERIAL = 0;
    private static final Duration INTERMEDIATE_LIFETIME = Duration.ofDays(3650);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(30);
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final KeyPair root;
    private final SecureRandom random;

    public CertificateAuthority(KeyPair root, SecureRandom random) {
        this.root = root;
        this.random = random;
    }

    public TrustRoot trustRoot() {
        return new TrustRoot(root.publicKey(), ROOT_SERIAL);
    }

    /** A fresh chain for the given server static key, valid from an hour ago. */
    public byte[] issueChain(byte[] serverStatic, Instant now) {
        KeyPair intermediateKey = KeyPair.generate(random);
        int intermediateSerial = 1 + random.nextInt(1 << 30);
        var intermediateDetails = details(intermediateSerial, ROOT_SERIAL, intermediateKey.publicKey(),
                now.minus(BACKDATE), now.plus(INTERMEDIATE_LIFETIME));
        var leafDetails = details(1 + random.nextInt(1 << 30), intermediateSerial, serverStatic,
                now.minus(BACKDATE), now.plus(LEAF_LIFETIME));
        return chain(sign(root, intermediateDetails), sign(intermediateKey, leafDetails)).toByteArray();
    }

    public static NoiseCertificate.Details details(int serial, int issuerSerial, byte[] key, Instant notBefore,
            Instant notAfter) {
        return NoiseCertificate.Details.newBuilder()
                .setSerial(serial)
                .setIssuerSerial(issuerSerial)
                .setKey(ByteString.copyFrom(key))
                .setNotBefore(notBefore.getEpochSecond())
                .setNotAfter(notAfter.getEpochSecond())
                .build();
    }

    public NoiseCertificate sign(KeyPair signer, NoiseCertificate.Details details) {
        byte[] detailBytes = details.toByteArray();
        return NoiseCertificate.newBuilder()
                .setDetails(ByteString.copyFrom(detailBytes))
                .setSignature(ByteString.copyFrom(XEdDsa.sign(signer.privateKey(), detailBytes, random)))
                .build();
    }

    public static CertChain chain(NoiseCertificate intermediate, NoiseCertificate leaf) {
        return CertChain.newBuilder().setIntermediate(intermediate).setLeaf(leaf).build();
    }
}
