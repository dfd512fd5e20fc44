package dev.gatehouse.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the 256-bit master key: {@code GATEHOUSE_MASTER_KEY} (base64), or a key file in the data directory, made on first start. */
final class MasterKeys {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
    static final String FILE_NAME = "master.key";

    private MasterKeys() {}

    static byte[] load(Optional<String> configured, Path dataDirectory) {
        if (configured.isPresent()) {
            return decode(configured.get(), "GATEHOUSE_MASTER_KEY");
        }
        Path file = dataDirectory.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file).strip(), file.toString());
            }
            Files.createDirectories(dataDirectory);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                LOG.warn("could not restrict permissions of {}", file);
            }
            LOG.warn("No GATEHOUSE_MASTER_KEY set: generated a master key into {}. Back it up: without it the "
                    + "signing keys and IdP secrets in the database cannot be decrypted. Set GATEHOUSE_MASTER_KEY "
                    + "(the same on every node) in production.", file);
            return key;
        } catch (IOException e) {
            throw new GatehouseConfig.ConfigException("cannot read or create the master key file " + file + ": " + e.getMessage());
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            if (key.length != 32) {
                throw new GatehouseConfig.ConfigException(source + " must be 32 bytes in base64 (openssl rand -base64 32)");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new GatehouseConfig.ConfigException(source + " is not valid base64");
        }
    }
}
