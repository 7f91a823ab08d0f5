package ponte.adapters.whatsapp.socket;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.time.Instant;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.Wire.CertChain.NoiseCertificate;
import ponte.adapters.whatsapp.proto.Wire.CertChain;

/**
 * Checks the server's Noise certificate chain as strictly as whatsmeow does: the root signed the intermediate,
 * the intermediate names the root's serial, the intermediate signed the leaf, the leaf names the intermediate's
 * serial, the leaf certifies the very static key the server used, and both certificates are valid now.
 */
public final class CertificateVerifier {

    private final TrustRoot root;

    public CertificateVerifier(TrustRoot root) {
        this.root = root;
    }

    public void verify(byte[] chainBytes, byte[] serverStatic, Instant now) throws HandshakeException {
        CertChain chain = parse(chainBytes);
        NoiseCertificate intermediate = chain.getIntermediate();
        NoiseCertificate leaf = chain.getLeaf();
        if (!intermediate.hasDetails() || !intermediate.hasSignature() || !leaf.hasDetails() || !leaf.hasSignature()) {
            throw new HandshakeException("the server certificate chain is incomplete");
        }
        if (!XEdDsa.verify(root.publicKey(), bytes(intermediate.getDetails()), bytes(intermediate.getSignature()))) {
            throw new HandshakeException("the intermediate certificate is not signed by the trust root");
        }
        var intermediateDetails = details(intermediate);
        if (intermediateDetails.getIssuerSerial() != root.issuerSerial()) {
            throw new HandshakeException("the intermediate certificate names issuer serial "
                    + intermediateDetails.getIssuerSerial() + ", expected " + root.issuerSerial());
        }
        byte[] intermediateKey = bytes(intermediateDetails.getKey());
        if (!XEdDsa.verify(intermediateKey, bytes(leaf.getDetails()), bytes(leaf.getSignature()))) {
            throw new HandshakeException("the leaf certificate is not signed by the intermediate");
        }
        checkValidity("intermediate", intermediateDetails, now);
        var leafDetails = details(leaf);
        if (leafDetails.getIssuerSerial() != intermediateDetails.getSerial()) {
            throw new HandshakeException("the leaf certificate names issuer serial " + leafDetails.getIssuerSerial()
                    + ", expected the intermediate's " + intermediateDetails.getSerial());
        }
        if (!MessageDigest.isEqual(bytes(leafDetails.getKey()), serverStatic)) {
            throw new HandshakeException("the leaf certificate does not certify the server's static key");
        }
        checkValidity("leaf", leafDetails, now);
    }

    private static void checkValidity(String which, NoiseCertificate.Details details, Instant now)
            throws HandshakeException {
        long seconds = now.getEpochSecond();
        if (seconds < details.getNotBefore()) {
            throw new HandshakeException("the " + which + " certificate is not valid before "
                    + Instant.ofEpochSecond(details.getNotBefore()));
        }
        if (seconds > details.getNotAfter()) {
            throw new HandshakeException("the " + which + " certificate expired at "
                    + Instant.ofEpochSecond(details.getNotAfter()));
        }
    }

    private static CertChain parse(byte[] chainBytes) throws HandshakeException {
        try {
            return CertChain.parseFrom(chainBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException("the server certificate chain is not a CertChain", e);
        }
    }

    private static NoiseCertificate.Details details(NoiseCertificate certificate) throws HandshakeException {
        try {
            return NoiseCertificate.Details.parseFrom(certificate.getDetails());
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException("a server certificate has unreadable details", e);
        }
    }

    private static byte[] bytes(ByteString value) {
        return value.toByteArray();
    }
}
