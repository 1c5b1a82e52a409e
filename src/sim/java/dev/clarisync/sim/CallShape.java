package dev.clarisync.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The status-independent parts of one call that both the list item and the details need: who took
 * part (with person ids) and which account and deal the call is about. Re-derived from the call's seed
 * each time a call is rendered; never stored.
 */
final class CallShape {
    /** One participant row. Null fields are omitted from JSON; {@code personId < 0} means "no personId". */
    static final class Person {
        final int userIndex;
        final String name;
        final String email;
        final String phone;
        final int personId;
        final boolean organizer;

        Person(int userIndex, String name, String email, String phone, int personId, boolean organizer) {
            this.userIndex = userIndex;
            this.name = name;
            this.email = email;
            this.phone = phone;
            this.personId = personId;
            this.organizer = organizer;
        }

        boolean internal() {
            return userIndex >= 0;
        }
    }

    final List<Person> users = new ArrayList<>(3);
    final List<Person> externals = new ArrayList<>(5);
    final List<Person> joined = new ArrayList<>(2);
    /** Null for internal meetings. */
    String account;
    String accountDomain;
    boolean hasDeal;
    String dealStageBefore;

    /** Everyone who can speak in the transcript: participants that carry a personId. */
    List<Person> speakers(boolean includeJoined) {
        List<Person> all = new ArrayList<>(users.size() + externals.size() + joined.size());
        all.addAll(users);
        all.addAll(externals);
        if (includeJoined) {
            for (Person p : joined) {
                if (p.personId >= 0) {
                    all.add(p);
                }
            }
        }
        return all;
    }
}
