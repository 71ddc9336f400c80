package io.c360.pipelines.cli;

import io.c360.pipelines.db.LocalPostgres;
import io.c360.pipelines.db.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the warehouse is, shared by the commands that are not Beam pipelines. */
public final class DbOptions {
  @Option(
      names = "--jdbcUrl",
      description =
          "Target PostgreSQL (no password in it). Default: the embedded PostgreSQL in --dataDir.")
  String jdbcUrl;

  @Option(names = "--dbUser", defaultValue = "postgres", description = "Database user.")
  String dbUser;

  @Option(
      names = "--passwordFile",
      description = "File whose first line is the password (else env C360_DB_PASSWORD).")
  Path passwordFile;

  @Option(
      names = "--jdbcPasswordSecret",
      description =
          "Secret Manager version with the password, projects/P/secrets/S/versions/V (read when"
              + " neither --passwordFile nor C360_DB_PASSWORD is given; needs Google Cloud).")
  String jdbcPasswordSecret;

  @Option(
      names = "--dataDir",
      defaultValue = ".c360/pg",
      description = "Data folder of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--pgPort",
      defaultValue = "" + LocalPostgres.DEFAULT_PORT,
      description = "Port of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
  int pgPort;

  Warehouse open(PrintStream log) throws IOException {
    return Warehouse.open(jdbcUrl, dbUser, passwordFile, jdbcPasswordSecret, dataDir, pgPort, log);
  }
}
