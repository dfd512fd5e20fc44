package dev.gatehouse.app;

import com.linecorp.armeria.server.Server;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.ChainReport;
import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentType;
import dev.gatehouse.core.key.SigningKey;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gatehouse start | env create | env list | credentials add | keys rotate | audit list | audit verify}.
 * Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 an audit chain is broken.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final String USAGE = """
            usage: gatehouse <command>
              start                                          run the server (default)
              env create --name NAME --issuer URL [--type development|production]
                                                             create an environment (default development), print its credentials once
              env list                                       list environments
              credentials add --environment ENV [--client ID] new management client, or a new secret for ID
              keys rotate --environment ENV [--immediately]  new key, published now, signing after 10 min (or at once)
              audit list --environment ENV [--limit N]       newest audit records first
              audit verify [--env ENV]                       check the audit hash chains (exit 3 when broken)
              startup-training                               a throwaway start the launcher records for the JVM's AOT cache
            configuration: GATEHOUSE_* environment variables (see README.md)""";

    private Main() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.getenv(), System.out);
        } catch (GatehouseConfig.ConfigException | CommandLine.UsageException e) {
            System.err.println("gatehouse: " + e.getMessage());
            status = 2;
        }
        if (status != 0 || (args.length > 0 && !"start".equals(args[0]))) {
            System.exit(status);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        CommandLine command = CommandLine.parse(args);
        GatehouseConfig config = GatehouseConfig.fromEnvironment(env);
        return switch (command.verb()) {
            case "start" -> start(config);
            case "env create" -> withWiring(config, wiring -> {
                EnvironmentType type = command.optional("type").map(value -> EnvironmentType.parse(value)
                        .orElseThrow(() -> new CommandLine.UsageException("--type must be development or production")))
                        .orElse(EnvironmentType.DEVELOPMENT);
                var created = wiring.environments.create(command.required("name"), command.required("issuer"), type,
                        Optional.empty(), Optional.empty());
                wiring.testOrganizations.ensure(created.environment());
                out.println("environment " + created.environment().id() + " issuer " + created.environment().issuerUrl()
                        + " type " + created.environment().type().name().toLowerCase(java.util.Locale.ROOT));
                printCredentials(out, created.credentials().client().id(), created.credentials().plainSecret());
            });
            case "env list" -> withWiring(config, wiring -> {
                for (Environment e : wiring.environmentRepository.list()) {
                    out.println(e.id() + "\t" + e.name() + "\t" + e.issuerUrl() + "\t" + e.createTime()
                            + "\t" + e.type().name().toLowerCase(java.util.Locale.ROOT));
                }
            });
            case "credentials add" -> withWiring(config, wiring -> {
                String environmentId = existingEnvironment(wiring, command.required("environment"));
                var issued = command.optional("client").isPresent()
                        ? wiring.clients.addSecret(environmentId, command.optional("client").get())
                        : wiring.clients.create(environmentId, "cli", Optional.empty(), Optional.empty());
                printCredentials(out, issued.client().id(), issued.plainSecret());
            });
            case "keys rotate" -> withWiring(config, wiring -> {
                String environmentId = existingEnvironment(wiring, command.required("environment"));
                boolean immediately = command.flag("immediately");
                java.time.Duration lead = immediately ? java.time.Duration.ZERO
                        : dev.gatehouse.core.key.SigningKeyService.PUBLICATION_LEAD;
                SigningKey key = wiring.signingKeys.rotate(environmentId, lead);
                out.println("new signing key " + key.kid() + " is published now and signs from "
                        + key.createTime().plus(lead) + (immediately ? " (immediately)" : "")
                        + "; previous keys stay published for "
                        + dev.gatehouse.core.key.SigningKeyService.RETIRED_KEY_PUBLICATION.toHours() + " h after that");
            });
            case "audit list" -> withWiring(config, wiring -> {
                String environmentId = existingEnvironment(wiring, command.required("environment"));
                int limit = command.optionalInt("limit", 50, 1, 10_000);
                List<AuditRecord> records = wiring.audit.recent(environmentId, command.optional("type"), Instant.EPOCH, limit);
                for (AuditRecord r : records) {
                    out.println(r.time() + "\t" + r.type() + "\t" + r.outcome() + "\t" + r.actor().orElse("-")
                            + "\t" + r.reason().orElse("-") + "\t" + r.attributes());
                }
            });
            case "startup-training" -> StartupTraining.run(out);
            case "audit verify" -> {
                int[] status = {0};
                int done = withWiring(config, wiring -> status[0] = verifyAudit(wiring, command, out));
                yield done != 0 ? done : status[0];
            }
            default -> throw new CommandLine.UsageException("unknown command '" + command.verb() + "'\n" + USAGE);
        };
    }

    /** Prints one line per chain; 3 when any chain is broken (docs/DECISIONS.md D-A1). */
    private static int verifyAudit(Wiring wiring, CommandLine command, PrintStream out) {
        Optional<String> environment = command.optional("env").or(() -> command.optional("environment"));
        List<ChainReport> reports = environment.isPresent()
                ? List.of(wiring.auditLog.verify(Optional.of(existingEnvironment(wiring, environment.get()))))
                : wiring.auditLog.verifyAll();
        boolean intact = true;
        for (ChainReport report : reports) {
            String chain = report.environmentId().orElse("(no environment)");
            String counts = report.records() + " records" + (report.unhashedRecords() > 0
                    ? " (" + report.unhashedRecords() + " written before hashing, not verifiable)" : "");
            if (report.intact()) {
                out.println(chain + "\tintact\t" + counts + "\thead " + report.head().sequence() + " "
                        + report.head().hash().orElse("-"));
            } else {
                intact = false;
                ChainReport.Break broken = report.firstBreak().orElseThrow();
                out.println(chain + "\tBROKEN\tat sequence " + broken.sequence()
                        + broken.recordId().map(id -> " (" + id + ")").orElse("") + ": " + broken.kind() + ": "
                        + broken.detail());
            }
        }
        out.println(reports.isEmpty() ? "no audit records" : intact ? "audit log intact" : "audit log BROKEN");
        return intact ? 0 : 3;
    }

    private static String existingEnvironment(Wiring wiring, String environmentId) {
        return wiring.environmentRepository.findById(environmentId).map(Environment::id)
                .orElseThrow(() -> new CommandLine.UsageException("no environment " + environmentId));
    }

    private static void printCredentials(PrintStream out, String clientId, String secret) {
        out.println("client_id     " + clientId);
        out.println("client_secret " + secret + "   (shown once; stored hashed)");
    }

    private interface WiringWork {
        void run(Wiring wiring);
    }

    private static int withWiring(GatehouseConfig config, WiringWork work) {
        try (Wiring wiring = Wiring.open(config, Clock.systemUTC())) {
            work.run(wiring);
            return 0;
        } catch (CommandLine.UsageException | GatehouseConfig.ConfigException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("gatehouse: " + e.getMessage());
            return 1;
        }
    }

    private static int start(GatehouseConfig config) {
        StartupTimeline timeline = new StartupTimeline();
        timeline.mark("jvm");
        StartupWarmup.begin();
        LOG.info("Starting Gatehouse: {}", config);
        Wiring wiring = Wiring.open(config, Clock.systemUTC());
        timeline.mark("wiring");
        Environment environment = Bootstrap.run(wiring);
        timeline.mark("bootstrap");
        Server server = wiring.server();
        timeline.mark("routes");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down: draining in-flight requests");
            wiring.readiness.markNotReady();
            server.stop().join();
            wiring.close();
            LOG.info("Stopped");
        }, "gatehouse-shutdown"));
        server.start().join();
        timeline.mark("listening");
        wiring.readiness.markReady();
        wiring.dispatcher.start();
        wiring.housekeeping.start();
        wiring.idpMetadataRefresher.start();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info("Gatehouse ready in {} ms on port {}: environment {} at {}", uptime, server.activeLocalPort(),
                environment.id(), environment.issuerUrl());
        LOG.info("Start-up phases: {}", timeline.summary());
        return 0;
    }

    /** A parsed command line: the verb (one or two words) and its {@code --name value} options. */
    record CommandLine(String verb, Map<String, String> options) {
        /** Options that take no value. */
        static final java.util.Set<String> FLAGS = java.util.Set.of("--immediately");

        static CommandLine parse(String[] args) {
            if (args.length == 0) {
                return new CommandLine("start", Map.of());
            }
            int index = 0;
            String verb = args[index++];
            if (!verb.equals("start") && index < args.length && !args[index].startsWith("--")) {
                verb = verb + " " + args[index++];
            }
            Map<String, String> options = new HashMap<>();
            while (index < args.length) {
                String name = args[index++];
                if (FLAGS.contains(name)) {
                    options.put(name.substring(2), "true");
                    continue;
                }
                if (!name.startsWith("--") || index >= args.length) {
                    throw new UsageException("expected --option value, got '" + name + "'\n" + USAGE);
                }
                options.put(name.substring(2), args[index++]);
            }
            return new CommandLine(verb, Map.copyOf(options));
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new UsageException("missing --" + name + "\n" + USAGE));
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(options.get(name));
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }

        int optionalInt(String name, int fallback, int min, int max) {
            try {
                int value = optional(name).map(Integer::parseInt).orElse(fallback);
                if (value < min || value > max) {
                    throw new UsageException("--" + name + " must be between " + min + " and " + max);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a whole number");
            }
        }

        static final class UsageException extends RuntimeException {
            UsageException(String message) {
                super(message);
            }
        }
    }
}
