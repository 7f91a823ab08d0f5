package ponte.adapters.whatsapp.socket;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Minimal HTTP CONNECT and SOCKS5 proxies that demand a username and password, then relay bytes: enough to show
 * our openers speak both protocols, not a proxy anyone should run. Each keeps the {@code host:port} of every tunnel
 * it opened ({@link #relayed()}), so a test can prove its bytes went through it.
 */
public final class TestProxies implements AutoCloseable {

    private final ServerSocket server;
    private final String user;
    private final String password;
    private final boolean socks;
    private final List<String> relayed = new CopyOnWriteArrayList<>();

    private TestProxies(boolean socks, String user, String password) throws IOException {
        this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        this.user = user;
        this.password = password;
        this.socks = socks;
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public static TestProxies socks5(String user, String password) throws IOException {
        return new TestProxies(true, user, password);
    }

    public static TestProxies http(String user, String password) throws IOException {
        return new TestProxies(false, user, password);
    }

    /** {@code host:port} of each tunnel opened for a client that passed the credentials check, in order. */
    public List<String> relayed() {
        return List.copyOf(relayed);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            Socket target = socks ? socksHandshake(client) : httpHandshake(client);
            if (target == null) {
                return;
            }
            try (target) {
                Thread pump = Thread.ofVirtual().start(() -> copy(target, client));
                copy(client, target);
                pump.join();
            }
        } catch (IOException | InterruptedException e) {
            // a test proxy drops broken connections
        }
    }

    private Socket socksHandshake(Socket client) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        OutputStream out = client.getOutputStream();
        in.readUnsignedByte();
        byte[] methods = in.readNBytes(in.readUnsignedByte());
        if (java.util.Arrays.binarySearch(sorted(methods), (byte) 2) < 0) {
            out.write(new byte[] {5, (byte) 0xff});
            return null;
        }
        out.write(new byte[] {5, 2});
        in.readUnsignedByte();
        String givenUser = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        String givenPassword = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        boolean ok = givenUser.equals(user) && givenPassword.equals(password);
        out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
        if (!ok) {
            return null;
        }
        in.readNBytes(3);
        int type = in.readUnsignedByte();
        String host = type == 3 ? new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII)
                : java.net.InetAddress.getByAddress(in.readNBytes(type == 1 ? 4 : 16)).getHostAddress();
        int port = in.readUnsignedShort();
        Socket target = new Socket(host, port);
        relayed.add(host + ":" + port);
        out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        return target;
    }

    private Socket httpHandshake(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        String requestLine = readLine(in);
        String authorization = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.toLowerCase().startsWith("proxy-authorization:")) {
                authorization = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        if (!expected.equals(authorization)) {
            out.write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return null;
        }
        String authority = requestLine.split(" ")[1];
        int colon = authority.lastIndexOf(':');
        Socket target = new Socket(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)));
        relayed.add(authority);
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return target;
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed; the other copy ends too
        }
    }

    private static byte[] sorted(byte[] bytes) {
        byte[] copy = bytes.clone();
        java.util.Arrays.sort(copy);
        return copy;
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
