package ponte.adapters.whatsapp.sandbox;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.Der;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.media.MediaTls;

/**
 * The sandbox media host's TLS identity: a fresh P-256 key whose X.509 certificate (subject alternative names: the
 * host's address and {@code localhost}) is signed by the sandbox's certificate root, the Curve25519 key its Noise
 * chains come from, with XEdDSA (an Ed25519 signature, as X.509 knows it). The root's own self-signed certificate
 * comes along for clients that want a CA certificate rather than a key (Node's {@code ca} option); Ponte's client
 * anchors the key itself ({@link MediaTls}).
 */
public final class MediaHostCertificate {

    private static final String ED25519 = "1.3.101.112";
    private static final Duration LIFETIME = Duration.ofDays(30);
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final SSLContext serverContext;
    private final X509Certificate leaf;
    private final X509Certificate root;

    private MediaHostCertificate(SSLContext serverContext, X509Certificate leaf, X509Certificate root) {
        this.serverContext = serverContext;
        this.leaf = leaf;
        this.root = root;
    }

    /** Issues a certificate for {@code host} (an IP address or a name), valid from an hour ago for 30 days. */
    public static MediaHostCertificate issue(KeyPair sandboxRoot, String host, Instant now, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            java.security.KeyPair hostKey = generator.generateKeyPair();
            byte[] issuer = Der.commonName("Ponte Sandbox Root");
            byte[] algorithm = Der.sequence(Der.oid(ED25519));
            byte[] names = Der.sequence(subjectName(host), Der.context(2, false, "localhost".getBytes()));
            byte[] extensions = Der.context(3, true, Der.sequence(
                    Der.sequence(Der.oid("2.5.29.17"), Der.octetString(names)),
                    Der.sequence(Der.oid("2.5.29.37"), Der.octetString(Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))))));
            byte[] leafTbs = Der.sequence(Der.context(0, true, Der.integer(BigInteger.TWO)),
                    Der.integer(new BigInteger(64, random).add(BigInteger.ONE)), algorithm, issuer,
                    Der.sequence(Der.time(now.minus(BACKDATE)), Der.time(now.plus(LIFETIME))),
                    Der.commonName(host), hostKey.getPublic().getEncoded(), extensions);
            Signed leafSigned = sign(sandboxRoot, leafTbs, random);

            // the root's certificate: its Ed25519 key has the x sign its signatures carry
            byte[] rootSpki = XEdDsa.edwardsKey(sandboxRoot.publicKey(), leafSigned.xOdd()).getEncoded();
            byte[] rootExtensions = Der.context(3, true, Der.sequence(
                    Der.sequence(Der.oid("2.5.29.19"), Der.bool(true), Der.octetString(Der.sequence(Der.bool(true))))));
            byte[] rootTbs = Der.sequence(Der.context(0, true, Der.integer(BigInteger.TWO)), Der.integer(BigInteger.ONE),
                    algorithm, issuer, Der.sequence(Der.time(Instant.parse("2020-01-01T00:00:00Z")),
                            Der.time(Instant.parse("2100-01-01T00:00:00Z"))),
                    issuer, rootSpki, rootExtensions);
            Signed rootSigned = sign(sandboxRoot, rootTbs, random);

            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            X509Certificate leaf = certificate(factory, leafTbs, algorithm, leafSigned.signature());
            X509Certificate root = certificate(factory, rootTbs, algorithm, rootSigned.signature());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("media", hostKey.getPrivate(), password, new Certificate[] {leaf, root});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, random);
            return new MediaHostCertificate(context, leaf, root);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CryptoException("the media host's certificate could not be issued", e);
        }
    }

    private static byte[] subjectName(String host) throws java.net.UnknownHostException {
        boolean literal = host.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':');
        return literal ? Der.context(7, false, InetAddress.getByName(host).getAddress())
                : Der.context(2, false, host.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private record Signed(byte[] signature, boolean xOdd) {
    }

    private static Signed sign(KeyPair root, byte[] tbs, SecureRandom random) {
        byte[] signature = XEdDsa.sign(root.privateKey(), tbs, random);
        boolean xOdd = (signature[63] & 0x80) != 0;
        signature[63] &= 0x7f;
        return new Signed(signature, xOdd);
    }

    private static X509Certificate certificate(CertificateFactory factory, byte[] tbs, byte[] algorithm,
            byte[] signature) throws GeneralSecurityException {
        byte[] der = Der.sequence(tbs, algorithm, Der.bitString(signature));
        return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    }

    /** The server side of TLS: the host key and the chain leaf → root. */
    public SSLContext serverContext() {
        return serverContext;
    }

    public X509Certificate leaf() {
        return leaf;
    }

    /** The root's self-signed certificate, PEM, for clients configured with CA certificates (e.g. Node). */
    public String rootPem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(root.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CryptoException("the root certificate cannot be encoded", e);
        }
    }
}
