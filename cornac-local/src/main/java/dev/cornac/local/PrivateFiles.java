package dev.cornac.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read (0600) in directories only their owner may enter (0700), written
 * atomically.
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  public static Path directory(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return dir;
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  public static void write(Path file, String content) {
    directory(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LocalRuntimeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
