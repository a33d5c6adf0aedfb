package io.shmipc.grpc;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Throw-away certificates for the TLS tests, made in-process at test time with Netty's
 * {@code netty-pkitesting} (no committed keys, nothing in the repository that expires): a CA, a server and
 * a client certificate it signed, a second CA that signed neither, and PKCS#12 key and trust stores for
 * Spring Boot SSL bundles.
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
        X509Bundle ca = authority("CN=shmipc test CA");
        X509Bundle otherCa = authority("CN=shmipc other test CA");
        CertificateBuilder server = leaf("CN=shmipc test server")
                .addSanIpAddress("127.0.0.1")
                .addSanDnsName("localhost")
                .addExtendedKeyUsageServerAuth();
        for (String address : serverAddresses) {
            server.addSanIpAddress(address);
        }
        keyStore(serverKeyStore(), "server", server.buildIssuedBy(ca));
        keyStore(
                clientKeyStore(),
                "client",
                leaf("CN=shmipc test client").addExtendedKeyUsageClientAuth().buildIssuedBy(ca));
        trustStore(trustStore(), ca);
        trustStore(otherTrustStore(), otherCa);
    }

    private static X509Bundle authority(String subject) throws Exception {
        return leaf(subject).setIsCertificateAuthority(true).buildSelfSigned();
    }

    private static CertificateBuilder leaf(String subject) {
        Instant now = Instant.now();
        return new CertificateBuilder()
                .subject(subject)
                .notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256();
    }

    private static void keyStore(Path file, String alias, X509Bundle bundle) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
                alias, bundle.getKeyPair().getPrivate(), PASSWORD.toCharArray(), bundle.getCertificatePathWithRoot());
        write(store, file);
    }

    private static void trustStore(Path file, X509Bundle authority) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", authority.getCertificate());
        write(store, file);
    }

    private static void write(KeyStore store, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
    }
}
