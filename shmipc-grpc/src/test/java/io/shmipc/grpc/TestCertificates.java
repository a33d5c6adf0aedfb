package io.shmipc.grpc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates for the TLS tests, made at test time with the JDK's own {@code keytool} (no
 * committed keys, nothing that expires in the repository): a CA, a server and a client certificate it
 * signed, a second CA that signed neither, and PKCS#12 key and trust stores for Spring Boot SSL bundles.
 *
 * <p>The server certificate names {@code 127.0.0.1} and {@code localhost}, and any extra IP addresses given,
 * so hostname verification passes as it would in production.
 */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /**
     * @param directory where the stores go
     * @param serverAddresses IP addresses the server certificate names beside 127.0.0.1
     */
    static TestCertificates create(Path directory, String... serverAddresses) throws Exception {
        TestCertificates certificates = new TestCertificates(directory);
        certificates.make(serverAddresses);
        return certificates;
    }

    /** The server's key and certificate chain, alias {@code server}. */
    Path serverKeyStore() {
        return directory.resolve("server.p12");
    }

    /** The client's key and certificate chain, alias {@code client}. */
    Path clientKeyStore() {
        return directory.resolve("client.p12");
    }

    /** Trusts the CA that signed both certificates. */
    Path trustStore() {
        return directory.resolve("trust.p12");
    }

    /** Trusts only a CA that signed neither certificate. */
    Path otherTrustStore() {
        return directory.resolve("other-trust.p12");
    }

    /**
     * The properties of a Spring Boot JKS/PKCS#12 SSL bundle.
     *
     * @param bundle the bundle name
     * @param keyStore the key store, or {@code null} for trust only
     * @param trustStore the trust store, or {@code null} for the JDK's default
     * @param keyAlias the key's alias in the key store
     */
    static List<String> bundle(String bundle, Path keyStore, Path trustStore, String keyAlias) {
        String prefix = "spring.ssl.bundle.jks." + bundle + ".";
        List<String> properties = new ArrayList<>();
        if (keyStore != null) {
            properties.add(prefix + "keystore.location=file:" + keyStore);
            properties.add(prefix + "keystore.password=" + PASSWORD);
            properties.add(prefix + "keystore.type=PKCS12");
            properties.add(prefix + "key.alias=" + keyAlias);
        }
        if (trustStore != null) {
            properties.add(prefix + "truststore.location=file:" + trustStore);
            properties.add(prefix + "truststore.password=" + PASSWORD);
            properties.add(prefix + "truststore.type=PKCS12");
        }
        return properties;
    }

    private void make(String... serverAddresses) throws Exception {
        keyPair("ca.p12", "ca", "CN=shmipc test CA", "bc:c");
        keyPair("other-ca.p12", "ca", "CN=shmipc other test CA", "bc:c");
        export("ca.p12", "ca", "ca.pem");
        export("other-ca.p12", "ca", "other-ca.pem");
        StringBuilder san = new StringBuilder("SAN=ip:127.0.0.1,dns:localhost");
        for (String address : serverAddresses) {
            san.append(",ip:").append(address);
        }
        signed("server", "CN=shmipc test server", san.toString());
        signed("client", "CN=shmipc test client", null);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path("trust.p12"));
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                path("other-ca.pem"),
                "-keystore",
                path("other-trust.p12"));
    }

    /** A key pair in {@code name.p12}, with a certificate signed by the CA and the CA's certificate. */
    private void signed(String name, String dname, String extension) throws Exception {
        String store = name + ".p12";
        keyPair(store, name, dname, null);
        keytool("-certreq", "-alias", name, "-keystore", path(store), "-file", path(name + ".csr"));
        List<String> gencert = new ArrayList<>(List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                path("ca.p12"),
                "-infile",
                path(name + ".csr"),
                "-outfile",
                path(name + ".pem"),
                "-rfc",
                "-validity",
                "2"));
        if (extension != null) {
            gencert.addAll(List.of("-ext", extension));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path(store));
        keytool("-importcert", "-alias", name, "-file", path(name + ".pem"), "-keystore", path(store));
    }

    private void keyPair(String store, String alias, String dname, String extension) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2",
                "-keystore",
                path(store)));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        keytool(args.toArray(String[]::new));
    }

    private void export(String store, String alias, String file) throws Exception {
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", path(store), "-file", path(file));
    }

    private String path(String file) {
        return directory.resolve(file).toString();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
    }
}
