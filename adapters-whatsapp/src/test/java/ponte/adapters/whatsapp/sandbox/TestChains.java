package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.proto.Wire.CertChain.NoiseCertificate;
import ponte.adapters.whatsapp.proto.Wire.CertChain;
import ponte.adapters.whatsapp.socket.TrustRoot;

/** Certificate chains, good and broken in one way each, for the tests that a client must refuse them. */
public final class TestChains {

    public static final int INTERMEDIATE_SERIAL = 77;
    private final SecureRandom random = new SecureRandom();
    public final KeyPair root = KeyPair.generate(random);
    public final KeyPair intermediate = KeyPair.generate(random);
    public final KeyPair serverStatic = KeyPair.generate(random);
    private final CertificateAuthority authority = new CertificateAuthority(root, random);
    private final Instant now;

    public TestChains(Instant now) {
        this.now = now;
    }

    public TrustRoot trustRoot() {
        return authority.trustRoot();
    }

    public byte[] valid() {
        return chain(intermediateDetails(CertificateAuthority.ROOT_SERIAL, now.plus(Duration.ofDays(1))), root,
                leafDetails(INTERMEDIATE_SERIAL, serverStatic.publicKey(), now.plus(Duration.ofDays(1))));
    }

    public byte[] forgedLeafSignature() {
        CertChain chain = parse(valid());
        byte[] signature = chain.getLeaf().getSignature().toByteArray();
        signature[5] ^= 0x40;
        return chain.toBuilder().setLeaf(chain.getLeaf().toBuilder()
                .setSignature(com.google.protobuf.ByteString.copyFrom(signature))).build().toByteArray();
    }

    public byte[] signedByAnotherRoot() {
        return chain(intermediateDetails(CertificateAuthority.ROOT_SERIAL, now.plus(Duration.ofDays(1))),
                KeyPair.generate(random),
                leafDetails(INTERMEDIATE_SERIAL, serverStatic.publicKey(), now.plus(Duration.ofDays(1))));
    }

    public byte[] expiredLeaf() {
        return chain(intermediateDetails(CertificateAuthority.ROOT_SERIAL, now.plus(Duration.ofDays(1))), root,
                leafDetails(INTERMEDIATE_SERIAL, serverStatic.publicKey(), now.minus(Duration.ofMinutes(1))));
    }

    public byte[] leafForAnotherKey() {
        return chain(intermediateDetails(CertificateAuthority.ROOT_SERIAL, now.plus(Duration.ofDays(1))), root,
                leafDetails(INTERMEDIATE_SERIAL, KeyPair.generate(random).publicKey(), now.plus(Duration.ofDays(1))));
    }

    public byte[] intermediateNamingAnotherIssuer() {
        return chain(intermediateDetails(5, now.plus(Duration.ofDays(1))), root,
                leafDetails(INTERMEDIATE_SERIAL, serverStatic.publicKey(), now.plus(Duration.ofDays(1))));
    }

    public byte[] leafNamingAnotherIssuer() {
        return chain(intermediateDetails(CertificateAuthority.ROOT_SERIAL, now.plus(Duration.ofDays(1))), root,
                leafDetails(INTERMEDIATE_SERIAL + 1, serverStatic.publicKey(), now.plus(Duration.ofDays(1))));
    }

    private NoiseCertificate.Details intermediateDetails(int issuerSerial, Instant notAfter) {
        return CertificateAuthority.details(INTERMEDIATE_SERIAL, issuerSerial, intermediate.publicKey(),
                now.minus(Duration.ofDays(1)), notAfter);
    }

    private NoiseCertificate.Details leafDetails(int issuerSerial, byte[] key, Instant notAfter) {
        return CertificateAuthority.details(1234, issuerSerial, key, now.minus(Duration.ofDays(1)), notAfter);
    }

    private byte[] chain(NoiseCertificate.Details intermediateDetails, KeyPair rootSigner,
            NoiseCertificate.Details leafDetails) {
        var signerAuthority = new CertificateAuthority(rootSigner, random);
        return CertificateAuthority.chain(signerAuthority.sign(rootSigner, intermediateDetails),
                authority.sign(intermediate, leafDetails)).toByteArray();
    }

    private static CertChain parse(byte[] bytes) {
        try {
            return CertChain.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
