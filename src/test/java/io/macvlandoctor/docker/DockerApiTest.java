package io.macvlandoctor.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macvlandoctor.EnvironmentException;
import io.macvlandoctor.model.DockerContainer;
import io.macvlandoctor.model.DockerNetwork;
import io.macvlandoctor.model.Family;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Engine API client against a fake daemon on a unix socket of the test's own: the answers a daemon gives
 * (JSON, chunked or not, 404 with a message), read as Docker's inspect output.
 */
class DockerApiTest {
    @TempDir
    Path dir;

    static final String NETWORK = "{\"Name\":\"macvlan0\",\"Id\":\"n1\",\"Driver\":\"macvlan\","
            + "\"Options\":{\"parent\":\"ens33\"},\"IPAM\":{\"Config\":[{\"Subnet\":\"192.168.136.0/24\","
            + "\"Gateway\":\"192.168.136.2\",\"IPRange\":\"192.168.136.240/28\",\"AuxiliaryAddresses\":"
            + "{\"host\":\"192.168.136.250\"}},{\"Subnet\":\"fd00:136::/64\"}]},\"Containers\":{\"bbb\":{\"Name\":"
            + "\"web2\",\"IPv4Address\":\"192.168.136.241/24\",\"IPv6Address\":\"\"},\"aaa\":{\"Name\":\"web\","
            + "\"IPv4Address\":\"192.168.136.240/24\",\"IPv6Address\":\"fd00:136::240/64\"}}}";
    static final String CONTAINER = "{\"Id\":\"aaa\",\"Name\":\"/web\",\"State\":{\"Running\":true,\"Pid\":4242},"
            + "\"NetworkSettings\":{\"Networks\":{\"macvlan0\":{\"NetworkID\":\"n1\",\"IPAddress\":\"192.168.136.240\","
            + "\"GlobalIPv6Address\":\"fd00:136::240\",\"MacAddress\":\"02:42:c0:a8:88:f0\"}}}}";

    /** Serves each request (the request line) with what answer() returns, until closed. */
    final class FakeDaemon implements AutoCloseable {
        final Path socket = dir.resolve("docker" + System.nanoTime() + ".sock");
        final List<String> requests = new ArrayList<>();
        final ServerSocketChannel server;
        final Thread thread;

        FakeDaemon(Function<String, String> answer) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> {
                while (true) {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer b = ByteBuffer.allocate(8192);
                        StringBuilder req = new StringBuilder();
                        while (!req.toString().contains("\r\n\r\n") && c.read(b) > 0) {
                            req.append(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII));
                            b.clear();
                        }
                        String line = req.toString().split("\r\n")[0];
                        synchronized (requests) {
                            requests.add(line);
                        }
                        c.write(ByteBuffer.wrap(answer.apply(line).getBytes(StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static String chunked(String body) {
        StringBuilder b = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < body.length(); i += 100) {
            String part = body.substring(i, Math.min(body.length(), i + 100));
            b.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString();
    }

    @Test
    void aContainerAndItsNetworkFromChunkedAndPlainAnswers() throws IOException {
        try (FakeDaemon d = new FakeDaemon(line -> line.contains("/containers/web/json") ? chunked(CONTAINER)
                : line.contains("/networks/n1") ? ok(NETWORK) : "HTTP/1.1 404 Not Found\r\n\r\n{\"message\":\"no\"}")) {
            DockerContainer c = new Docker("unix://" + d.socket).container("web", null);
            assertThat(c.pid()).isEqualTo(4242);
            assertThat(c.name()).isEqualTo("web");
            assertThat(c.ip()).hasToString("192.168.136.240");
            assertThat(c.ipv6()).hasToString("fd00:136::240");
            DockerNetwork n = c.network();
            assertThat(n.parent()).isEqualTo("ens33");
            assertThat(n.mode()).isEqualTo("bridge");
            assertThat(n.pool(Family.V4).ipRange()).hasToString("192.168.136.240/28");
            assertThat(n.pool(Family.V4).auxAddresses()).isEqualTo(Map.of("host", "192.168.136.250"));
            assertThat(n.pool(Family.V6).ipRange()).isNull();
            assertThat(n.members()).extracting(DockerNetwork.Member::name).containsExactly("web", "web2");
            assertThat(n.members().get(1).ipv6()).isNull();
            assertThat(d.requests).first().asString().startsWith("GET /containers/web/json HTTP/1.1");
        }
    }

    @Test
    void missingThingsAndAbsentDaemonsAreEnvironmentErrors() throws IOException {
        try (FakeDaemon d = new FakeDaemon(line -> "HTTP/1.1 404 Not Found\r\nContent-Length: 29\r\n\r\n"
                + "{\"message\":\"No such object\"}")) {
            assertThatThrownBy(() -> new Docker("unix://" + d.socket).container("nosuch", null))
                    .isInstanceOf(EnvironmentException.class).hasMessageContaining("container 'nosuch' not found");
        }
        assertThatThrownBy(() -> new Docker("unix://" + dir.resolve("none.sock")).network("x"))
                .isInstanceOf(EnvironmentException.class).hasMessageContaining("no Docker daemon answers there");
        try (FakeDaemon d = new FakeDaemon(line -> "HTTP/1.1 200 OK\r\n\r\n{\"Name\": [[[")) {
            assertThatThrownBy(() -> new Docker("unix://" + d.socket).network("x"))
                    .isInstanceOf(EnvironmentException.class).hasMessageContaining("not JSON");
        }
    }

    @Test
    void chunksAreJoinedAndCutChunksRefused() throws IOException {
        assertThat(new String(EngineApi.dechunk("3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                StandardCharsets.US_ASCII)).isEqualTo("abcde");
        assertThatThrownBy(() -> EngineApi.dechunk("9\r\nabc".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EngineApi.dechunk("zz\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class);
    }
}
