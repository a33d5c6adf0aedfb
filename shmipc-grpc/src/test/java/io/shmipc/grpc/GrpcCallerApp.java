package io.shmipc.grpc;

import io.shmipc.spring.ShmOperations;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A client process for the cross-process gRPC tests: calls {@code whoami} and {@code echo} once through
 * {@link ShmOperations} (with whatever {@code shmipc.client.*} settings it is given), prints
 * {@code REPLY <whoami> <echo>} or {@code FAILED <exception>}, and exits.
 */
// No component scan: the agent's handlers live in this package, and this process only calls.
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class GrpcCallerApp {

    public static void main(String[] args) {
        int exitCode = 0;
        try (ConfigurableApplicationContext context =
                new SpringApplication(GrpcCallerApp.class).run(withDefaults(args))) {
            ShmOperations shm = context.getBean(ShmOperations.class);
            System.out.println("REPLY " + shm.call("whoami", null, String.class) + " "
                    + shm.call("echo", "across namespaces", String.class));
        } catch (RuntimeException ex) {
            System.out.println("FAILED " + ex);
            exitCode = 1;
        }
        System.out.flush();
        System.exit(exitCode);
    }

    /** A caller serves nothing: Boot's gRPC server stays off unless the arguments say otherwise. */
    private static String[] withDefaults(String[] args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--spring.grpc.server.enabled=false";
        return all;
    }
}
