package io.c360.pipelines.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.c360.pipelines.cli.C360;
import io.c360.pipelines.daily.RunRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link SecretManager} against a local HTTP server on 127.0.0.1 that plays both the GCE metadata
 * server and the Secret Manager REST API. Google Cloud is not reachable from this machine, so this
 * is the nearest real thing offline: real HTTP, the documented paths, headers and JSON shapes
 * (metadata {@code .../service-accounts/default/token} → {@code access_token}; {@code GET
 * v1/{name}:access} → base64 {@code payload.data} with {@code dataCrc32c}). Not proven here: real
 * IAM, a real token, the real service.
 */
class SecretManagerTest {
  private static final String NAME = "projects/c360-test/secrets/c360-db/versions/latest";
  // Made up per run (never a literal): the fake server hands them out, and the tests assert that
  // neither ever shows in an error or the output. The umlaut checks the UTF-8 decoding.
  private static final String TOKEN = "ya29." + UUID.randomUUID();
  private static final String PASSWORD = "pw-" + UUID.randomUUID() + "-ä!";

  private HttpServer server;
  private final List<String> seen = new ArrayList<>();
  private volatile int tokenStatus = 200;
  private volatile String tokenBody =
      "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}";
  private volatile int secretStatus = 200;
  private volatile String secretBody = payload(PASSWORD + "\n", true);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        SecretManager.TOKEN_PATH,
        ex -> {
          seen.add(
              "token "
                  + ex.getRequestMethod()
                  + " Metadata-Flavor="
                  + ex.getRequestHeaders().getFirst("Metadata-Flavor"));
          respond(ex, tokenStatus, tokenBody);
        });
    server.createContext(
        "/v1/",
        ex -> {
          seen.add(
              "access "
                  + ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI().getPath()
                  + " Authorization="
                  + ex.getRequestHeaders().getFirst("Authorization"));
          respond(ex, secretStatus, secretBody);
        });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    System.setProperty(SecretManager.METADATA_URL_PROPERTY, base);
    System.setProperty(SecretManager.SECRET_MANAGER_URL_PROPERTY, base + "/");
  }

  @AfterEach
  void stop() {
    System.clearProperty(SecretManager.METADATA_URL_PROPERTY);
    System.clearProperty(SecretManager.SECRET_MANAGER_URL_PROPERTY);
    server.stop(0);
  }

  @Test
  void readsTheVersionWithTheMetadataServersToken() throws Exception {
    assertThat(SecretManager.access(NAME), equalTo(PASSWORD));
    assertThat(
        seen,
        equalTo(
            List.of(
                "token GET Metadata-Flavor=Google",
                "access GET /v1/" + NAME + ":access Authorization=Bearer " + TOKEN)));
  }

  @Test
  void aPayloadWithoutChecksumIsAccepted() throws Exception {
    secretBody = payload(PASSWORD, false);
    assertThat(SecretManager.access(NAME), equalTo(PASSWORD));
  }

  @Test
  void permissionDeniedNamesTheSecretAndStatusButNoTokenOrValue() {
    secretStatus = 403;
    // A hostile or verbose error body must not reach the message either.
    secretBody = "{\"error\":{\"code\":403,\"message\":\"denied " + TOKEN + " " + PASSWORD + "\"}}";
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(
        e.getMessage(),
        allOf(
            containsString(NAME),
            containsString("HTTP 403"),
            containsString("roles/secretmanager.secretAccessor")));
    assertClean(e);
  }

  @Test
  void missingVersionIsA404NamingTheSecret() {
    secretStatus = 404;
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(e.getMessage(), allOf(containsString(NAME), containsString("HTTP 404")));
    assertClean(e);
  }

  @Test
  void metadataServerRefusalNamesTheSecretAndNeverCallsSecretManager() {
    tokenStatus = 500;
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(
        e.getMessage(),
        allOf(containsString("metadata server"), containsString(NAME), containsString("500")));
    assertThat(seen.size(), is(1));
  }

  @Test
  void aTokenAnswerWithoutTokenIsAnError() {
    tokenBody = "{\"expires_in\":3599}";
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(e.getMessage(), allOf(containsString("access_token"), containsString(NAME)));
  }

  @Test
  void corruptPayloadIsRejectedWithoutShowingIt() {
    secretBody =
        "{\"name\":\""
            + NAME
            + "\",\"payload\":{\"data\":\""
            + b64(PASSWORD)
            + "\",\"dataCrc32c\":\"12345\"}}";
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(e.getMessage(), allOf(containsString("CRC32C"), containsString(NAME)));
    assertClean(e);
  }

  @Test
  void nonJsonAnswerDoesNotEchoTheBody() {
    secretBody = "not json " + PASSWORD;
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(e.getMessage(), containsString(NAME));
    assertClean(e);
  }

  @Test
  void unreachableMetadataServerSaysWhatToDoInstead() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    System.setProperty(SecretManager.METADATA_URL_PROPERTY, "http://127.0.0.1:" + closed);
    IOException e = assertThrows(IOException.class, () -> SecretManager.access(NAME));
    assertThat(
        e.getMessage(),
        allOf(
            containsString("cannot reach the GCE metadata server"),
            containsString(NAME),
            containsString("C360_DB_PASSWORD")));
  }

  @Test
  void malformedNamesAreRejectedBeforeAnyCall() {
    for (String bad :
        new String[] {
          "c360-db",
          "projects/p/secrets/s",
          "projects/p/secrets/s/versions/",
          "projects/p/secrets/s/versions/1?alt=x",
          "projects/p/secrets/../versions/1",
          "projects/../secrets/s/versions/1"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SecretManager.access(bad));
      assertThat(e.getMessage(), containsString("projects/PROJECT/secrets/SECRET/versions/"));
    }
    assertThat(seen, equalTo(List.of()));
  }

  @Test
  void aPasswordFileWinsOverTheSecretAndSecretManagerIsNotCalled(@TempDir Path dir)
      throws Exception {
    String fromFile = "file-" + UUID.randomUUID();
    Path file = Files.writeString(dir.resolve("pw"), fromFile + "\nsecond line\n");
    assertThat(Warehouse.password(file, NAME), equalTo(fromFile));
    assertThat(seen, equalTo(List.of()));
  }

  @Test
  void aFlexTemplateStyleRunReadsTheSecretAndReportsAFailureWithoutTheValue() {
    assertThat(
        "unset " + Warehouse.PASSWORD_ENV + ": this test proves the Secret Manager fallback",
        System.getenv(Warehouse.PASSWORD_ENV),
        nullValue());
    String[] launcherArgs = {
      "--runDate=2026-03-31",
      "--input=/nonexistent/landing",
      "--jdbcUrl=jdbc:postgresql://127.0.0.1:9/c360",
      "--dbUser=c360_writer",
      "--jdbcPasswordSecret=" + NAME
    };
    secretStatus = 403;
    Cli denied = cli(launcherArgs);
    assertThat(denied.code(), is(1));
    assertThat(
        denied.err(), allOf(startsWith("run: "), containsString(NAME), containsString("HTTP 403")));
    assertThat(seen, hasSize(2));

    // With the secret readable the run gets as far as the (unreachable) database.
    secretStatus = 200;
    secretBody = payload(PASSWORD, true);
    Cli unreachable = cli(launcherArgs);
    assertThat(unreachable.code(), is(1));
    assertThat(unreachable.err(), containsString("Connection to 127.0.0.1:9 refused"));
    assertThat(seen, hasSize(4));
    for (String out : List.of(denied.err(), unreachable.err(), unreachable.out())) {
      assertThat(out, allOf(not(containsString(PASSWORD)), not(containsString(TOKEN))));
    }
  }

  private record Cli(int code, String out, String err) {}

  /** C360.main without System.exit: the arguments as the flex template launcher passes them. */
  private static Cli cli(String... args) {
    CommandLine cmd = C360.commandLine();
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err, true));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = cmd.execute(C360.arguments(args));
      return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(old);
    }
  }

  @Test
  void theRunRecordShowsTheSecretNameMasked() {
    // A name, not a value, but it matches the secret pattern like every *secret* option.
    assertThat(
        RunRecorder.masked(Map.of("jdbcPasswordSecret", NAME, "passwordFile", "/etc/c360/pw")),
        equalTo(Map.of("jdbcPasswordSecret", "***", "passwordFile", "/etc/c360/pw")));
  }

  private static void assertClean(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      assertThat(m, allOf(not(containsString(PASSWORD)), not(containsString(TOKEN))));
      assertThat(m, not(containsString(b64(PASSWORD))));
    }
  }

  private static String payload(String value, boolean withCrc) {
    CRC32C crc = new CRC32C();
    crc.update(value.getBytes(StandardCharsets.UTF_8));
    return "{\"name\":\""
        + NAME.replace("latest", "3")
        + "\",\"payload\":{\"data\":\""
        + b64(value)
        + "\""
        + (withCrc ? ",\"dataCrc32c\":\"" + crc.getValue() + "\"" : "")
        + "}}";
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
