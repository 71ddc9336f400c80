package io.c360.pipelines.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Reads one Secret Manager secret version (the database password of a Dataflow flex template run)
 * with the identity of the VM it runs on: an access token from the GCE metadata server, then the
 * Secret Manager REST call {@code versions.access}. No client library: two HTTP GETs with the JDK
 * client keep the Direct and Flink jars free of Google Cloud dependencies.
 *
 * <pre>{@code
 * String password = SecretManager.access("projects/p/secrets/c360-db/versions/latest");
 * }</pre>
 *
 * <p>The value and the token are never logged nor put in an exception message; errors name the
 * secret version and the HTTP status. The base URLs can be changed with the system properties
 * {@value #METADATA_URL_PROPERTY} and {@value #SECRET_MANAGER_URL_PROPERTY}, for tests only.
 */
public final class SecretManager {
  public static final String METADATA_URL_PROPERTY = "c360.gce.metadataUrl";
  public static final String SECRET_MANAGER_URL_PROPERTY = "c360.secretManager.url";

  static final String METADATA_URL = "http://metadata.google.internal";
  static final String SECRET_MANAGER_URL = "https://secretmanager.googleapis.com";
  static final String TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";

  /**
   * A secret version resource name, as Secret Manager and deploy/dataflow/metadata.json take it
   * (project ids may be domain-scoped, {@code example.com:proj}; no segment may be {@code ..}).
   */
  public static final Pattern VERSION_NAME =
      Pattern.compile("projects/(?!\\.)[\\w.:-]+/secrets/[\\w-]+/versions/[\\w-]+");

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretManager() {}

  /** The value of secret version {@code versionName} ({@code projects/P/secrets/S/versions/V}). */
  public static String access(String versionName) throws IOException {
    if (versionName == null || !VERSION_NAME.matcher(versionName).matches()) {
      throw new IllegalArgumentException(
          "--jdbcPasswordSecret must be a Secret Manager version name,"
              + " projects/PROJECT/secrets/SECRET/versions/VERSION (e.g. versions/latest), got: "
              + versionName);
    }
    // HTTP/1.1: no h2c upgrade header for the plain-HTTP metadata server to trip over.
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    String token = token(http, versionName);
    JsonNode body =
        get(
            http,
            base(SECRET_MANAGER_URL_PROPERTY, SECRET_MANAGER_URL)
                + "/v1/"
                + versionName
                + ":access",
            "Authorization",
            "Bearer " + token,
            "Secret Manager",
            versionName);
    JsonNode data = body.path("payload").path("data");
    if (!data.isTextual()) {
      throw new IOException("Secret Manager answered without payload.data for " + versionName);
    }
    byte[] value;
    try {
      value = Base64.getDecoder().decode(data.asText());
    } catch (IllegalArgumentException e) {
      throw new IOException("Secret Manager payload of " + versionName + " is not base64");
    }
    JsonNode crc = body.path("payload").path("dataCrc32c");
    if (!crc.isMissingNode() && !crc.isNull()) {
      CRC32C c = new CRC32C();
      c.update(value);
      if (c.getValue() != Long.parseLong(crc.asText())) {
        throw new IOException("Secret Manager payload of " + versionName + " is corrupt (CRC32C)");
      }
    }
    // A trailing newline (gcloud --data-file) is not part of the password, as with --passwordFile.
    return new String(value, StandardCharsets.UTF_8).strip();
  }

  private static String token(HttpClient http, String versionName) throws IOException {
    JsonNode body =
        get(
            http,
            base(METADATA_URL_PROPERTY, METADATA_URL) + TOKEN_PATH,
            "Metadata-Flavor",
            "Google",
            "the GCE metadata server (access token)",
            versionName);
    JsonNode token = body.path("access_token");
    if (!token.isTextual() || token.asText().isEmpty()) {
      throw new IOException("the GCE metadata server gave no access_token to read " + versionName);
    }
    return token.asText();
  }

  /** GET {@code url} with one header; the error names the service, secret and status only. */
  private static JsonNode get(
      HttpClient http,
      String url,
      String header,
      String headerValue,
      String service,
      String versionName)
      throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header(header, headerValue)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + versionName + " from " + service);
    } catch (IOException e) {
      // Off Google Cloud the metadata host does not resolve: say what to do instead.
      throw new IOException(
          "cannot reach "
              + service
              + " to read "
              + versionName
              + " ("
              + e.getClass().getSimpleName()
              + "); off Google Cloud set C360_DB_PASSWORD or --passwordFile instead");
    }
    int status = response.statusCode();
    if (status != 200) {
      throw new IOException(
          service + " answered HTTP " + status + " for " + versionName + hint(status));
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException(service + " answered with no JSON for " + versionName);
    }
  }

  private static String hint(int status) {
    return switch (status) {
      case 401, 403 ->
          ": the service account of the launcher VM needs roles/secretmanager.secretAccessor on"
              + " the secret";
      case 404 -> ": no such secret version";
      default -> "";
    };
  }

  private static String base(String property, String fallback) {
    String url = System.getProperty(property);
    return url == null || url.isBlank() ? fallback : url.replaceAll("/+$", "");
  }
}
