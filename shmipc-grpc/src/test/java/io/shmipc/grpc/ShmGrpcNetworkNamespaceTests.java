package io.shmipc.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shmipc.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts as near as one machine gets: two network namespaces joined by a veth pair that the test makes
 * (and removes), the agent's JVM in one, the client's JVM in the other, talking gRPC over the pair's
 * addresses only. Neither namespace can reach the other's loopback, and they share no region directory.
 *
 * <p>Needs root (CAP_NET_ADMIN) and iproute2's {@code ip}; skipped with the reason where either is missing.
 */
class ShmGrpcNetworkNamespaceTests {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    Path agentDirectory;

    @TempDir
    Path clientDirectory;

    private final String suffix =
            Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    private final String agentNamespace = "shmipc-agent-" + suffix;
    private final String clientNamespace = "shmipc-client-" + suffix;
    // Interface names are at most 15 characters.
    private final String agentLink = "shva" + suffix;
    private final String clientLink = "shvc" + suffix;
    private final List<ChildJvm> processes = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    @AfterEach
    void removeProcessesAndNamespaces() throws Exception {
        processes.forEach(ChildJvm::close);
        // Deleting a namespace deletes the veth end in it, and with it the peer.
        for (String namespace : namespaces) {
            ip("netns", "del", namespace);
        }
    }

    @Test
    void aClientInOneNetworkNamespaceShouldCallAnAgentInAnotherOverGrpc() throws Exception {
        assumeNamespacesAllowed();
        // A /30 in 10.213.0.0/16 per run, so parallel runs never share addresses.
        int subnet = ThreadLocalRandom.current().nextInt(0, 16_384) * 4;
        String agentAddress = "10.213." + (subnet >> 8) + "." + ((subnet & 0xFF) + 1);
        String clientAddress = "10.213." + (subnet >> 8) + "." + ((subnet & 0xFF) + 2);
        addNamespace(agentNamespace);
        addNamespace(clientNamespace);
        run("ip", "link", "add", agentLink, "type", "veth", "peer", "name", clientLink);
        run("ip", "link", "set", agentLink, "netns", agentNamespace);
        run("ip", "link", "set", clientLink, "netns", clientNamespace);
        run("ip", "-n", agentNamespace, "addr", "add", agentAddress + "/30", "dev", agentLink);
        run("ip", "-n", clientNamespace, "addr", "add", clientAddress + "/30", "dev", clientLink);
        for (String namespace : List.of(agentNamespace, clientNamespace)) {
            run("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        run("ip", "-n", agentNamespace, "link", "set", agentLink, "up");
        run("ip", "-n", clientNamespace, "link", "set", clientLink, "up");

        String name = "shmipc-test-grpc-netns-" + UUID.randomUUID();
        int port = 19_090;
        ChildJvm agent = start(
                agentNamespace,
                "agent",
                GrpcAgentApp.class,
                "--shmipc.name=" + name,
                "--shmipc.role=server",
                "--shmipc.directory=" + agentDirectory,
                "--shmipc.grpc.server.enabled=true",
                "--spring.grpc.server.address=" + agentAddress,
                "--spring.grpc.server.port=" + port,
                "--agent.instance=netns-agent");
        agent.awaitLine(line -> line.equals("READY"), STARTUP);

        ChildJvm client = start(
                clientNamespace,
                "client",
                GrpcCallerApp.class,
                "--shmipc.name=" + name,
                "--shmipc.role=client",
                "--shmipc.directory=" + clientDirectory,
                "--shmipc.client.transport=auto",
                "--shmipc.client.timeout=20s",
                "--shmipc.client.grpc.address=" + agentAddress + ":" + port);
        assertThat(client.waitFor(STARTUP)).as(client.tail()).isZero();
        assertThat(client.lines()).contains("REPLY netns-agent across namespaces");
    }

    private ChildJvm start(String namespace, String label, Class<?> mainClass, String... args) {
        ChildJvm process = ChildJvm.main(mainClass, args)
                .wrapper(List.of("ip", "netns", "exec", namespace))
                .label(label + "-" + namespace)
                .jvmOptions(ChildJvm.LIGHT_OPTIONS)
                .start();
        processes.add(process);
        return process;
    }

    private void addNamespace(String namespace) throws Exception {
        run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
    }

    private void assumeNamespacesAllowed() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")) || ip("-V") == 0,
                "iproute2's ip is not installed");
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "making network namespaces needs root (CAP_NET_ADMIN); running as " + System.getProperty("user.name"));
        String probe = "shmipc-probe-" + suffix;
        int exit = ip("netns", "add", probe);
        if (exit == 0) {
            ip("netns", "del", probe);
        }
        assumeTrue(exit == 0, "ip netns add is not allowed here (no CAP_NET_ADMIN, or no /run/netns)");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static int ip(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (IOException ex) {
            return -1;
        }
    }
}
