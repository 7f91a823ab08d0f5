package ponte.adapters.whatsapp.media;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.security.auth.x500.X500Principal;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.socket.TrustRoot;

/**
 * Which TLS certificates the media client accepts, derived from the chat socket's trust root so that one setting
 * says which network the client talks to. For WhatsApp's root: the JDK's default trust (the media hosts have
 * public certificates). For any other root (a sandbox's): chains ending in a self-signed {@link #ROOT_NAME}
 * certificate whose key is that root's key, the Curve25519 key the Noise chain is checked against. X.509 signs with
 * Ed25519, and a Curve25519 key names its Ed25519 key up to the sign of x (its holder can sign for either), so
 * both Ed25519 forms are accepted as the root's key. The root certificate so found becomes the only trust anchor
 * of the JDK's own PKIX trust manager, which then checks the chain, the dates and the host name as for any site:
 * nothing is turned off.
 */
public final class MediaTls {

    /** The subject of the sandbox root's certificate and the issuer of every media host certificate it signs. */
    public static final X500Principal ROOT_NAME = new X500Principal("CN=Ponte Sandbox Root");

    private MediaTls() {
    }

    private static final java.util.Map<java.nio.ByteBuffer, SSLContext> CONTEXTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The TLS context of the network {@code root} names, one per network in the JVM (its session cache then lets
     * the devices of one network resume each other's TLS sessions with a media host).
     */
    public static SSLContext shared(TrustRoot root) {
        return CONTEXTS.computeIfAbsent(java.nio.ByteBuffer.wrap(root.publicKey()), key -> context(root));
    }

    /** A new TLS context that accepts the media hosts of the network {@code root} names. */
    public static SSLContext context(TrustRoot root) {
        try {
            if (Arrays.equals(root.publicKey(), TrustRoot.WHATSAPP.publicKey())) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new RootKeyTrust(List.of(
                    XEdDsa.edwardsKey(root.publicKey(), false), XEdDsa.edwardsKey(root.publicKey(), true)))}, null);
            return context;
        } catch (NoSuchAlgorithmException e) {
            throw new CryptoException("TLS is unavailable", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("the media trust root cannot be used", e);
        }
    }

    /** Finds the root's certificate in the presented chain by its key, then lets the JDK's PKIX do the rest. */
    private static final class RootKeyTrust extends X509ExtendedTrustManager {
        private final List<PublicKey> rootKeys;

        RootKeyTrust(List<PublicKey> rootKeys) {
            this.rootKeys = rootKeys;
        }

        private X509ExtendedTrustManager anchoredAt(X509Certificate[] chain) throws CertificateException {
            for (X509Certificate candidate : chain) {
                if (!candidate.getSubjectX500Principal().equals(ROOT_NAME) || rootKeys.stream().noneMatch(
                        key -> Arrays.equals(key.getEncoded(), candidate.getPublicKey().getEncoded()))) {
                    continue;
                }
                try {
                    candidate.verify(candidate.getPublicKey());
                    KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                    anchors.load(null, null);
                    anchors.setCertificateEntry("root", candidate);
                    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
                    factory.init(anchors);
                    for (TrustManager manager : factory.getTrustManagers()) {
                        if (manager instanceof X509ExtendedTrustManager extended) {
                            return extended;
                        }
                    }
                } catch (GeneralSecurityException | java.io.IOException e) {
                    throw new CertificateException("the sandbox root's certificate does not check out", e);
                }
            }
            throw new CertificateException("the chain does not end at the trusted sandbox root");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            anchoredAt(chain).checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            anchoredAt(chain).checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            anchoredAt(chain).checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the media client accepts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the media client accepts no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the media client accepts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
