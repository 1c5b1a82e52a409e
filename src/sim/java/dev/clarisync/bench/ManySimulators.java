package dev.clarisync.bench;

import dev.clarisync.sim.ClariSimulator;
import dev.clarisync.sim.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Many simulated Clari workspaces in one JVM, for the many-workspaces benchmark ({@code bench/run.sh}):
 * {@code --count=N --calls=M [--rate-limit=R]} starts N simulators (seeds 1..N, credentials sim-key / sim-password,
 * each limited to R requests/s like one Clari workspace, default 10) and prints {@code workspace w<i> <base URL>} for
 * each, then {@code ready}. On stop it prints each one's request total ({@code sim-total w<i> <n>}).
 */
public final class ManySimulators {
    private ManySimulators() {
    }

    public static void main(String[] args) throws InterruptedException {
        int count = 0;
        int calls = 200;
        int rate = 10;
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--count=")) {
                count = Integer.parseInt(v);
            } else if (a.startsWith("--calls=")) {
                calls = Integer.parseInt(v);
            } else if (a.startsWith("--rate-limit=")) {
                rate = Integer.parseInt(v);
            } else {
                System.err.println("usage: ManySimulators --count=N --calls=M [--rate-limit=R]");
                System.exit(2);
            }
        }
        List<ClariSimulator> sims = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sims.add(ClariSimulator.start(SimulatorConfig.builder().callCount(calls).seed(i + 1L).rateLimitPerSecond(rate)
                    .apiKey("sim-key").apiPassword("sim-password").build()));
            System.out.println("workspace w" + i + " " + sims.get(i).baseUrl());
        }
        System.out.println("ready");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (int i = 0; i < sims.size(); i++) {
                System.out.println("sim-total w" + i + " " + sims.get(i).requests().total());
                sims.get(i).close();
            }
            System.out.flush();
            stopped.countDown();
        }, "many-sims-shutdown"));
        stopped.await();
    }
}
