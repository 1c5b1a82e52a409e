package dev.clarisync.api;

import dev.clarisync.config.ConnectorSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which rate limit each account's requests count against, for one process. Clari does not say whether its 10
 * requests a second are counted per workspace, per API partner or per client address; an agency syncing several
 * workspaces from one place may share one limit. Accounts that share a limit share one {@link ClariRateLimiter}, and
 * so its spacing and its 429 episode state (pause, rate cut): together they spend the one limit, each getting slots
 * in turn as it asks, instead of each backing off alone while the others keep sending.
 *
 * <ul>
 *   <li><b>Declared</b>: accounts with the same {@code clari.api.rate-limit-group} (per workspace
 *       {@code clari.workspace.<name>.rate-limit-group}) share one limiter, whatever their credentials.</li>
 *   <li><b>Same credentials</b>: accounts with the same base URL, key and password are one Clari account to the
 *       gateway and share one limiter without being told.</li>
 *   <li><b>Found out</b>: when an account's limiter meets a new 429 episode while the accounts of its base URL
 *       together sent more than one limit's worth within the last window (so this account stayed under its own
 *       limit, and the limit it met is shared), every account of that base URL backs off together: from then on
 *       they all use the limiter that met the 429, which is paused and cut already (requests already waiting at the
 *       others move there too, and 429s to requests sent before the move belong to its current episode). Logged
 *       once, with the setting that starts them shared next time.</li>
 * </ul>
 *
 * A group's limit is that of the account that joined it first ({@code clari.api.rate-limit}, margin, pauses). Each
 * account keeps its own page-size policy and weekly budget. Thread-safe.
 */
public final class LimitGroups {
    private static final Logger LOG = LoggerFactory.getLogger(LimitGroups.class);

    /** One account's place: the limiter it uses now (which may change once, when a shared limit is found out). */
    public static final class Membership {
        private final String account;
        private final String baseUrl;
        private volatile ClariRateLimiter limiter;
        private volatile String group;

        Membership(String account, String baseUrl, ClariRateLimiter limiter, String group) {
            this.account = account;
            this.baseUrl = baseUrl;
            this.limiter = limiter;
            this.group = group;
        }

        /** The limiter every request of this account waits for now. */
        public ClariRateLimiter limiter() {
            return limiter;
        }

        /** What this account shares its limit by: a declared group, the same credentials, found out, or nothing. */
        public String group() {
            return group;
        }

        public String account() {
            return account;
        }
    }

    private final List<Membership> members = new ArrayList<>();
    private final Map<String, ClariRateLimiter> byKey = new LinkedHashMap<>();

    /** A membership of its own, outside any group: an account's limit before it is registered with a process. */
    public static Membership alone(String account, ConnectorSettings settings) {
        return new Membership(account, settings.apiBaseUrl().toString(), ClariRateLimiter.from(settings), null);
    }

    /** Places an account: with the accounts it shares a limit with (declared or same credentials), else alone. */
    public synchronized Membership join(String account, ConnectorSettings settings) {
        String declared = declaredGroup(settings);
        String key = declared != null ? "group " + declared : "credentials " + settings.apiBaseUrl() + " " + fingerprint(settings);
        ClariRateLimiter limiter = byKey.get(key);
        List<String> sharing = new ArrayList<>();
        if (limiter == null) {
            limiter = ClariRateLimiter.from(settings);
            limiter.onEpisode(this::episode);
            byKey.put(key, limiter);
        } else {
            ClariRateLimiter shared = limiter;
            members.stream().filter(m -> m.limiter == shared).forEach(m -> sharing.add(m.account));
        }
        String group = declared != null ? "rate-limit-group " + declared : sharing.isEmpty() ? null : "the same credentials";
        Membership m = new Membership(account, settings.apiBaseUrl().toString(), limiter, group);
        members.add(m);
        if (!sharing.isEmpty()) {
            for (Membership other : members) {
                if (other.limiter == limiter) {
                    other.group = group;
                }
            }
            LOG.info("workspace {} shares one limit of {} requests/s with {} ({})", account, settings.rateLimit(),
                    String.join(", ", sharing), group);
        }
        return m;
    }

    /** The declared group of an account's settings, or null. */
    static String declaredGroup(ConnectorSettings settings) {
        String g = settings.rateLimitGroup();
        return g.isEmpty() ? null : g;
    }

    /** A digest of the credentials: equal credentials give equal digests, and the secret itself is not kept. */
    private static String fingerprint(ConnectorSettings settings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(settings.apiKey().reveal().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(settings.apiPassword().reveal().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A limiter began a new 429 episode. If the limiters of its base URL together sent more than its limit within
     * the last window, the limit it met is shared: every account of that base URL moves to this limiter.
     */
    private void episode(ClariRateLimiter hit) {
        List<Membership> moved = new ArrayList<>();
        String baseUrl;
        synchronized (this) {
            Membership first = members.stream().filter(m -> m.limiter == hit).findFirst().orElse(null);
            if (first == null) {
                return;
            }
            baseUrl = first.baseUrl;
            List<ClariRateLimiter> limiters = members.stream().filter(m -> m.baseUrl.equals(baseUrl))
                    .map(m -> m.limiter).distinct().toList();
            if (limiters.size() < 2) {
                return;
            }
            long since = hit.now() - hit.guardNanos();
            long together = limiters.stream().mapToLong(l -> l.sentSince(since)).sum();
            if (together <= hit.limit()) {
                return; // this account alone (or a late wake-up) drew it: its own limit, its own back-off
            }
            for (Membership m : members) {
                if (m.baseUrl.equals(baseUrl) && m.limiter != hit) {
                    m.limiter.mergeInto(hit); // its requests already waiting for a slot move too
                    m.limiter = hit;
                    moved.add(m);
                }
            }
            for (Membership m : members) {
                if (m.limiter == hit) {
                    m.group = "a limit found shared at " + baseUrl;
                }
            }
        }
        if (!moved.isEmpty()) {
            String all = members(hit);
            LOG.warn("HTTP 429 while the workspaces of {} together sent more than one limit but each stayed under its own: "
                    + "Clari counts their limit together. Workspaces {} now share one limit of {} requests/s; declare "
                    + "clari.workspace.<name>.rate-limit-group=<group> on each to start that way",
                    baseUrl, all, hit.limit());
        }
    }

    private synchronized String members(ClariRateLimiter limiter) {
        return members.stream().filter(m -> m.limiter == limiter).map(m -> m.account).collect(Collectors.joining(", "));
    }
}
