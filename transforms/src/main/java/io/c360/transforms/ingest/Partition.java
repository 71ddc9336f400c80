package io.c360.transforms.ingest;

import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What one entity's landing partition holds for a date, checked on the driver before the pipeline
 * is built (SPEC §1): {@link Status#ABSENT} (skip the entity and report it), {@link Status#EMPTY}
 * (a folder without data files: the run must fail, see {@link #requireFiles()}) or {@link
 * Status#FILES}.
 *
 * <p>Uses Beam {@link FileSystems}, so call {@code FileSystems.setDefaultPipelineOptions(options)}
 * (or {@link S3Setup#configure}) first, or {@code s3://} and {@code gs://} roots are unknown
 * schemes. On object stores a "folder" exists when at least one object lies under its prefix.
 */
public final class Partition {
  /** The three states of a partition folder. */
  public enum Status {
    ABSENT,
    EMPTY,
    FILES
  }

  private final EntitySpec entity;
  private final String folder;
  private final Status status;
  private final List<String> files;
  private final List<String> ignored;

  private Partition(
      EntitySpec entity, String folder, Status status, List<String> files, List<String> ignored) {
    this.entity = entity;
    this.folder = folder;
    this.status = status;
    this.files = List.copyOf(files);
    this.ignored = List.copyOf(ignored);
  }

  /** Looks at {@code <inputRoot>/<entity>/dt=<dt>/}. */
  public static Partition of(String inputRoot, EntitySpec entity, LocalDate dt) {
    String folder = DataFiles.partitionFolder(inputRoot, entity.name(), dt);
    boolean local = !folder.contains("://") || folder.startsWith("file://");
    if (local && !Files.isDirectory(Paths.get(folder.replaceFirst("^file://", "")))) {
      return new Partition(entity, folder, Status.ABSENT, List.of(), List.of());
    }
    MatchResult match;
    try {
      match = FileSystems.match(folder + "*", EmptyMatchTreatment.ALLOW);
    } catch (IOException e) {
      throw new IngestException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    List<String> files = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    try {
      for (MatchResult.Metadata m : match.metadata()) {
        if (m.resourceId().isDirectory()) {
          continue;
        }
        String name = m.resourceId().getFilename();
        (DataFiles.isData(name) ? files : ignored).add(m.resourceId().toString());
      }
    } catch (IOException e) {
      throw new IngestException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    files.sort(null);
    ignored.sort(null);
    if (files.isEmpty()) {
      return new Partition(
          entity,
          folder,
          !local && ignored.isEmpty() ? Status.ABSENT : Status.EMPTY,
          files,
          ignored);
    }
    return new Partition(entity, folder, Status.FILES, files, ignored);
  }

  /**
   * The partitions of {@code entities} for {@code dt}, in that order (SPEC §1): an entity without a
   * folder is {@link Status#ABSENT} (skipped and reported), but an input root that does not exist,
   * or a date for which no entity has a folder, is an error.
   *
   * @throws IngestException naming the input root and every folder looked at
   */
  public static List<Partition> ofDate(String inputRoot, List<EntitySpec> entities, LocalDate dt) {
    List<Partition> parts = new ArrayList<>();
    for (EntitySpec e : entities) {
      parts.add(of(inputRoot, e, dt));
    }
    if (parts.stream().anyMatch(p -> !p.isAbsent())) {
      return parts;
    }
    List<String> looked = parts.stream().map(Partition::folder).toList();
    String root = DataFiles.root(inputRoot);
    boolean local = !root.contains("://") || root.startsWith("file://");
    if (local && !Files.isDirectory(Paths.get(root.replaceFirst("^file://", "")))) {
      throw new IngestException(
          "input root " + root + " does not exist (looked for " + String.join(", ", looked) + ")");
    }
    throw new IngestException(
        "no entity has a folder for dt="
            + dt
            + " under input root "
            + root
            + (local ? "" : " (or the root does not exist)")
            + ": looked at "
            + String.join(", ", looked));
  }

  /** The entity whose partition this is. */
  public EntitySpec entity() {
    return entity;
  }

  public String folder() {
    return folder;
  }

  public Status status() {
    return status;
  }

  public boolean isAbsent() {
    return status == Status.ABSENT;
  }

  /** Full paths/URIs of the data files ({@code *.csv}, {@code *.csv.gz}, {@code *.parquet}). */
  public List<String> files() {
    return files;
  }

  /** Other files in the folder ({@code _SUCCESS}, hidden files, other extensions). */
  public List<String> ignoredFiles() {
    return ignored;
  }

  /**
   * The data files; throws {@link IngestException} naming the folder when it is absent or holds no
   * data file.
   */
  public List<String> requireFiles() {
    if (status == Status.ABSENT) {
      throw new IngestException("no partition folder " + folder);
    }
    if (status == Status.EMPTY) {
      throw new IngestException(
          "partition folder "
              + folder
              + " has no data files (*.csv, *.csv.gz, *.parquet)"
              + (ignored.isEmpty() ? "" : "; ignored " + ignored));
    }
    return files;
  }

  @Override
  public String toString() {
    return folder + " " + status + " " + files;
  }
}
