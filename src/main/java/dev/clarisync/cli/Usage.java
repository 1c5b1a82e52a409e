package dev.clarisync.cli;

import dev.clarisync.config.SecretsPolicy;
import java.util.Map;

/** The help texts. */
public final class Usage {
    private Usage() {
    }

    static final String GENERAL = """
            Clari Copilot connector: copies Clari Copilot calls, details, transcripts and users into DuckDB or a JDBC warehouse.

            Usage: java -jar clari-copilot-connector.jar <command> [--key=value ...]

            Commands:
              sync     one sync of every stream now, then exit
              run      long-running service: syncs on the Quartz schedule (clari.sync.schedule), health and metrics
              check    test the connection: credentials (one /calls request) and the warehouse
              demo     start the bundled Clari simulator, sync it into ./data/demo.duckdb, print what landed
              report   write the HTML dashboard (report.out) from the warehouse
              sql      run one read-only query against the warehouse: sql "SELECT count(*) FROM calls"
              export   write the tables as Parquet for a lakehouse: export --format=parquet --to=./lake
              forget   erase one person from the warehouse and from every later sync: forget --email ADDRESS

            Every key of application.properties can be set in ./application.properties, as an environment
            variable (clari.api.rate-limit -> CLARI_API_RATE_LIMIT) or as --key=value; an unknown key is an error.
            Credentials: %s.

            Exit codes: 0 ok, 1 failed, 2 bad configuration, 3 credentials rejected, 4 weekly quota exhausted
            (progress saved, the next run resumes), 5 warehouse in use by another run.
            '<command> --help' describes one command.
            """.formatted(SecretsPolicy.POLICY);

    static final Map<String, String> COMMANDS = Map.of(
            "sync", """
                    Usage: java -jar clari-copilot-connector.jar sync [--key=value ...]

                    Runs one sync of the streams in clari.sync.streams (users, calls, call_details) and exits.
                    Calls are read incrementally from the stored cursor; only new or changed finished calls cost a
                    details request. Progress is committed page by page: an interrupted sync resumes where it stopped.
                    Needs CLARI_API_KEY and CLARI_API_PASSWORD. Exit codes as in --help.
                    """,
            "run", """
                    Usage: java -jar clari-copilot-connector.jar run [--key=value ...]

                    Runs as a service: a sync at start (clari.sync.run-on-start) and then on clari.sync.schedule
                    (Quartz cron, default every 6 hours). Stops on SIGTERM after finishing or abandoning the page in
                    flight (its data is re-read next time; nothing is half-written).
                    """,
            "check", """
                    Usage: java -jar clari-copilot-connector.jar check [--key=value ...]

                    Sends one GET /calls?limit=1 with the configured credentials and opens the warehouse, creating and
                    dropping a scratch table. Exit 0 when both work, else the exit code and reason. An API host that
                    cannot be reached (refused, unknown, no answer) is reported within about 5 s, without retries.
                    With clari.workspaces: each workspace of this shard in turn, every line prefixed with
                    "workspace <name>: ", and the most severe workspace's exit code.
                    """,
            "demo", """
                    Usage: java -jar clari-copilot-connector.jar demo [--demo.calls=300] [--key=value ...]

                    Starts the bundled Clari API simulator on 127.0.0.1, syncs it into ./data/demo.duckdb (or
                    --warehouse.url=...), and prints the rows per table and reps by talk/listen ratio. No credentials
                    needed. Run it twice: the second run finds nothing new and writes nothing.
                    """,
            "report", """
                    Usage: java -jar clari-copilot-connector.jar report [--report.out=./data/report.html] [--workspace=<name>] [--wait=PT2M]

                    Writes a self-contained HTML dashboard from the warehouse (warehouse.url; right after demo, with
                    warehouse.url unset, the demo's warehouse). With clari.workspaces, --workspace picks the workspace
                    (its schema; the file is report.out with -<name> inserted). While a sync of the run service
                    writes the DuckDB file, --wait=DURATION waits up to that long (one line on stderr) instead of
                    exiting 5 at once.
                    """,
            "sql", """
                    Usage: java -jar clari-copilot-connector.jar sql "SELECT ..." [--format=table|csv|json] [--wait=PT2M] [--key=value ...]

                    Runs one read-only query against the warehouse (warehouse.url; right after demo, with warehouse.url
                    unset, the demo's warehouse) and prints the result: an aligned table (long values shortened),
                    --format=csv (with a header) or --format=json (one object per line). It never writes: DuckDB is
                    opened read-only, other databases run the query in a read-only transaction. A query the database
                    refuses exits 2 with its message. With clari.workspaces, --workspace=<name> picks the workspace's
                    schema. While a sync of the run service writes the DuckDB file, --wait=DURATION waits up to that
                    long (one line on stderr) instead of exiting 5 at once.
                    """,
            "export", """
                    Usage: java -jar clari-copilot-connector.jar export --format=parquet --to=DIR [--tables=a,b] [--since-last] [--key=value ...]

                    Writes the warehouse's tables (data and history tables; --tables picks some) as Parquet under
                    DIR/<table>/, calls-like tables in call_month=YYYY-MM partitions, and DIR/_manifest.json (tables,
                    row counts, columns and types, last sync). --since-last rewrites only the partitions that changed
                    since the manifest in DIR. Progress goes to stderr. A bad format, table or directory exits 2.
                    """,
            "forget", """
                    Usage: java -jar clari-copilot-connector.jar forget --email=ADDRESS | --name=NAME | --phone=NUMBER [--dry-run] [--key=value ...]

                    Erases one person in one transaction: participant rows deleted, their email, name and phone (clear or
                    hashed) replaced by [forgotten] in every table, the transcript turns they spoke replaced; their salted
                    hashes go to _forgotten and every later sync applies the erasure before it writes. Give the value in
                    clear, also when clari.privacy.hash is on. Needs clari.privacy.salt (env CLARI_PRIVACY_SALT or
                    CLARI_PRIVACY_SALT_FILE). Prints one line per table touched. --dry-run changes nothing.
                    """);

    public static String of(String command) {
        return command == null ? GENERAL : COMMANDS.getOrDefault(command, GENERAL);
    }
}
