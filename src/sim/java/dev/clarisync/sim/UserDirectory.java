package dev.clarisync.sim;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The workspace's users, generated from the seed: a head of sales (MANAGER, top of the tree), team
 * managers reporting to them, REPs spread over the teams and one OBSERVER outside the tree. Calls
 * draw their internal participants from the users who can record (everyone but the observer).
 */
final class UserDirectory {
    static final String DOMAIN = "sellerco.example";

    /** Replaced whole by {@link #rename}, so a request reads one consistent list. */
    private volatile List<SimUser> users;
    private final int[] callers;
    private final Map<String, Integer> byIdOrEmail = new HashMap<>();

    UserDirectory(long seed, int count) {
        SplittableRandom r = Seeds.random(seed, 0x05E75L);
        List<SimUser> list = new ArrayList<>(count);
        Set<String> emails = new HashSet<>();
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = Seeds.uuid(Seeds.mix(seed, 0x05E75L, i));
        }
        // shape of the tree: with few users everyone reports to user 0
        int managers = count >= 4 ? Math.max(1, count / 6) : 0;
        boolean observer = count >= 5;
        List<Integer> callerList = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String first = Seeds.pick(r, Texts.FIRST_NAMES);
            String last = Seeds.pick(r, Texts.LAST_NAMES);
            String name = first + " " + last;
            String email = uniqueEmail(first, last, emails);
            String role;
            String managerId;
            if (i == 0) {
                role = count == 1 ? "REP" : "MANAGER";
                managerId = null;
            } else if (i <= managers) {
                role = "MANAGER";
                managerId = ids[0];
            } else if (observer && i == count - 1) {
                role = "OBSERVER";
                managerId = null;
            } else {
                role = "REP";
                // reps round-robin over the team managers (or the head when there are none)
                managerId = managers == 0 ? ids[0] : ids[1 + (i - managers - 1) % managers];
            }
            boolean recording = !"OBSERVER".equals(role) && r.nextInt(10) != 0;
            SimUser u = new SimUser(ids[i], email, name, role, recording, managerId);
            list.add(u);
            byIdOrEmail.put(u.id(), i);
            byIdOrEmail.put(u.email(), i);
            if (!"OBSERVER".equals(role)) {
                callerList.add(i);
            }
        }
        users = List.copyOf(list);
        callers = callerList.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String uniqueEmail(String first, String last, Set<String> taken) {
        String base = ascii(first) + "." + ascii(last);
        String email = base + "@" + DOMAIN;
        for (int n = 2; !taken.add(email); n++) {
            email = base + n + "@" + DOMAIN;
        }
        return email;
    }

    /** Lowercase ASCII letters only: "Zoë" becomes "zoe", "O'Brien" becomes "obrien". */
    static String ascii(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder();
        for (char c : d.toCharArray()) {
            char l = Character.toLowerCase(c);
            if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
                sb.append(l);
            } else if (c == 'ł' || c == 'Ł') {
                sb.append('l');
            }
        }
        return sb.length() == 0 ? "user" : sb.toString();
    }

    List<SimUser> all() {
        return users;
    }

    /** Renames a user (same id and e-mail): what /users and every later rendering of a call then show. */
    synchronized void rename(int index, String name) {
        List<SimUser> copy = new ArrayList<>(users);
        SimUser u = copy.get(index);
        copy.set(index, new SimUser(u.id(), u.email(), name, u.role(), u.isRecording(), u.managerId()));
        users = List.copyOf(copy);
    }

    SimUser get(int index) {
        return users.get(index);
    }

    /** Indexes of users who appear on calls. */
    int[] callers() {
        return callers;
    }

    /** Index of the user with this id or e-mail, or -1. */
    int indexOf(String idOrEmail) {
        Integer i = byIdOrEmail.get(idOrEmail);
        return i == null ? -1 : i;
    }
}
