package dev.clarisync.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.clarisync.config.Workspaces;
import dev.clarisync.warehouse.Warehouse;
import java.util.List;
import java.util.Map;

/**
 * The package graph, guarded: no cycles between the connector's packages, SQL types only in the
 * warehouse, and the JSON → tables rule and the warehouse free of Camel (they compile and test without
 * a Camel context). Production classes only.
 */
@AnalyzeClasses(packages = "dev.clarisync", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

    @ArchTest
    static final ArchRule no_cycles_between_packages = slices().matching("dev.clarisync.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule java_sql_only_in_the_warehouse = noClasses().that()
            .resideOutsideOfPackages("dev.clarisync.warehouse..", "dev.clarisync.bench..")
            .should().dependOnClassesThat().resideInAPackage("java.sql..")
            .because("the warehouse owns every connection, statement and SQL type (the benchmark, outside the connector,"
                    + " measures DuckDB's own ingestion with its own JDBC)");

    @ArchTest
    static final ArchRule no_camel_in_schema_or_warehouse = noClasses().that()
            .resideInAnyPackage("dev.clarisync.schema..", "dev.clarisync.warehouse..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
            .because("the JSON → tables rule and the warehouse run without a Camel context");

    @ArchTest
    static final ArchRule schema_comes_before_the_warehouse = noClasses().that().resideInAPackage("dev.clarisync.schema..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.clarisync.warehouse..", "dev.clarisync.sync..")
            .because("a batch is flattened by schema/ before it reaches the warehouse (outside its lock); the warehouse"
                    + " applies what the schema decided, never the other way round");

    @ArchTest
    static final ArchRule privacy_rules_are_pure = noClasses().that().resideInAPackage("dev.clarisync.privacy..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "dev.clarisync.warehouse..", "dev.clarisync.sync..",
                    "dev.clarisync.cli..")
            .because("hashing, forgetting, dropping and the scope are rules on JSON, testable alone; the warehouse finds and"
                    + " rewrites rows for them, the engine and the CLI apply them");

    @ArchTest
    static final ArchRule exchange_property_names_depend_on_nothing = noClasses().that().resideInAPackage("dev.clarisync.routes..")
            .should().dependOnClassesThat().resideOutsideOfPackages("dev.clarisync.routes..", "java..")
            .because("ExchangeProperties names what routes and beans share; api/, sync/, report/ and camel/ all read it,"
                    + " so it reaches none of them (ExchangePropertiesTest checks the names against routes/*.yaml)");

    @ArchTest
    static final ArchRule only_the_demo_reaches_the_simulator = noClasses().that()
            .resideOutsideOfPackages("dev.clarisync.sim..", "dev.clarisync.bench..")
            .and().doNotHaveFullyQualifiedName("dev.clarisync.cli.DemoCommand")
            .should().dependOnClassesThat().resideInAnyPackage("dev.clarisync.sim..", "dev.clarisync.bench..")
            .because("the simulator and the benchmark stay out of the connector's dependency path; only `demo` starts a simulator");

    @ArchTest
    static final ArchRule only_the_cli_knows_exit_codes = noClasses().that()
            .resideOutsideOfPackages("dev.clarisync.cli..").and().doNotHaveFullyQualifiedName("dev.clarisync.Launcher")
            .should().dependOnClassesThat().haveFullyQualifiedName("dev.clarisync.cli.ExitCodes")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.clarisync.cli.RunFailure")
            .because("below the CLI a run ends with an OutcomeKind; the CLI alone maps kinds to the documented exit codes"
                    + " (ExitCodes' constants are not compile-time constants, so every use is visible here)");

    @ArchTest
    static final ArchRule only_the_launcher_exits = noClasses().that().doNotHaveFullyQualifiedName("dev.clarisync.Launcher")
            .and().resideOutsideOfPackages("dev.clarisync.sim..", "dev.clarisync.bench..")
            .should().callMethod(System.class, "exit", int.class)
            .because("the process's exit code is the Launcher's, from the CLI's mapping");

    @ArchTest
    static final ArchRule one_plan_of_what_a_process_syncs = noClasses().that().resideOutsideOfPackage("dev.clarisync.config..")
            .should().callMethod(Workspaces.class, "shard", List.class, Map.class)
            .orShould().callMethod(Workspaces.class, "parallelism", Map.class)
            .because("ConnectorPlan.from is the one function from properties to what a process syncs (workspaces, shard,"
                    + " parallelism); java -jar and Camel K both call it (issue 28)");

    @ArchTest
    static final ArchRule camel_opens_no_warehouse = noClasses().that()
            .resideInAnyPackage("dev.clarisync.camel..", "dev.clarisync.kamelet..")
            .should().callMethod(Warehouse.class, "open", String.class, String.class, String.class, String.class)
            .because("boot.OpenedWorkspaces opens the warehouses of a plan, and whoever opened them closes them once");
}
