package dev.clarisync.warehouse;

/**
 * Run in a separate JVM by the contract test: tries to open a warehouse and reports through its exit code,
 * 0 = opened, 3 = {@link WarehouseBusyException} (message on stdout), 1 = anything else. The password comes from
 * the environment variable {@code PROBE_PASSWORD}, not the command line.
 */
public final class BusyProbe {

    private BusyProbe() {
    }

    public static void main(String[] args) {
        String password = System.getenv().getOrDefault("PROBE_PASSWORD", "");
        int code;
        try (Warehouse w = Warehouse.open(args[0], args[1], password, args[2])) {
            System.out.println("opened " + w.schema());
            code = 0;
        } catch (WarehouseBusyException e) {
            System.out.println(e.getMessage());
            code = 3;
        } catch (RuntimeException e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        System.exit(code);
    }
}
