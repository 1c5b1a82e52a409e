package dev.clarisync.camel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * Another process reading the warehouse file, as a notebook or BI tool would: opens it with
 * {@code access_mode=READ_ONLY}, prints {@code calls N}, then keeps the connection until a line (or end of input)
 * arrives on stdin. DuckDB's file lock is per process, so only a separate process shows what readers do to a writer.
 */
public final class ReadOnlyClient {
    private ReadOnlyClient() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("access_mode", "READ_ONLY");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0], p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM calls")) {
            rs.next();
            System.out.println("calls " + rs.getLong(1));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("closed");
    }
}
