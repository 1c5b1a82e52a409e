package dev.clarisync.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates calls deterministically from the simulator seed.
 *
 * <p>{@link #create} draws the few attributes the index needs (id, time, status, type, users...).
 * {@link #listItem} and {@link #details} render the JSON on demand from the call's seed plus its
 * current mutable state (status, last_modified_time, extra fields, details revision). Each part of a
 * call uses its own random stream ("section"), so a status change adds or removes metrics without
 * changing the title, participants or deal.
 */
final class CallFactory {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    // independent random streams per part of a call
    private static final long S_ACCOUNT = 10;
    private static final long S_PEOPLE = 11;
    private static final long S_TITLE = 12;
    private static final long S_IDS = 13;
    private static final long S_DEAL = 14;
    private static final long S_CRM = 15;
    private static final long S_METRICS = 16;
    private static final long S_BOOKMARKS = 17;
    private static final long S_BOT = 18;

    private final long seed;
    private final UserDirectory users;
    private final double privateRate;
    private final DetailsFactory detailsFactory;

    CallFactory(long seed, UserDirectory users, double privateRate) {
        this.seed = seed;
        this.users = users;
        this.privateRate = privateRate;
        this.detailsFactory = new DetailsFactory(seed, users);
    }

    /**
     * Draws the index entry of call number {@code index}.
     *
     * @param slot  the call's place on the time line (epoch ms); pending statuses move it near {@code now}
     * @param now   the data set's "now": no last_modified_time after it, only SCHEDULED calls start after it
     * @param start earliest allowed time (epoch ms)
     */
    CallRecord create(int index, long slot, long now, long start) {
        long callSeed = Seeds.mix(seed, 0xCA11L, index);
        SplittableRandom r = new SplittableRandom(Seeds.mix(callSeed, 1));
        String id = Seeds.uuid(Seeds.mix(callSeed, 2));
        CallStatus status = drawStatus(r);
        CallType type = drawType(r);
        int duration = type == CallType.DIALER
                ? 20 + (int) (Math.pow(r.nextDouble(), 2) * 1200)
                : 120 + (int) (Math.pow(r.nextDouble(), 1.6) * 3480);
        int[] callUsers = drawUsers(r, type);
        boolean privateCall = r.nextDouble() < privateRate;

        long time = switch (status) {
            case SCHEDULED -> now + HOUR + (long) (r.nextDouble() * 14 * DAY);
            case INITIATED -> now - r.nextInt(120_000);
            case INPROGRESS -> now - MINUTE - r.nextInt((int) (50 * MINUTE));
            case WAITING_IN_QUEUE, PROCESSING -> now - duration * 1000L - r.nextInt((int) (90 * MINUTE));
            default -> slot;
        };
        long durationMs = duration * 1000L;
        if (status.phase() != CallStatus.Phase.PENDING) {
            // a call that is over must have ended (and been processed) before "now"
            time = Math.min(time, now - (status.botJoined() ? durationMs : 0) - 5 * MINUTE);
        }
        time = Math.max(time, start);
        long originalStart = CallRecord.NONE;
        if (type.calendarMeeting()) {
            // meetings sit on a 5-minute calendar grid; 40% start a little late
            long grid = 5 * MINUTE;
            originalStart = time - Math.floorMod(time, grid);
            if (originalStart < start) {
                originalStart += grid;
            }
            time = originalStart;
            if (status != CallStatus.SCHEDULED && r.nextDouble() < 0.4) {
                time = Math.min(originalStart + r.nextInt(300_000), Math.max(originalStart, now));
            }
        }

        long lastModified;
        long processedAt = CallRecord.NONE;
        switch (status.phase()) {
            case FINISHED -> {
                processedAt = time + durationMs + 2 * MINUTE + r.nextInt((int) (40 * MINUTE));
                lastModified = processedAt;
                if (r.nextDouble() < 0.03) {
                    // reprocessed long after the call: last_modified_time far from time
                    lastModified += (long) (r.nextDouble() * 30 * DAY);
                }
                lastModified = clamp(lastModified, time, now);
                processedAt = Math.min(processedAt, lastModified);
            }
            case FAILED -> lastModified = clamp(time + (status.botJoined() ? durationMs : 0)
                    + r.nextInt((int) (30 * MINUTE)), time, now);
            default -> lastModified = switch (status) {
                // scheduled calls were last touched when the invite was synced, before the call
                case SCHEDULED -> clamp(now - HOUR - (long) (r.nextDouble() * 20 * DAY), start, now);
                case INITIATED, INPROGRESS -> clamp(time + r.nextInt(30_000), time, now);
                default -> clamp(time + durationMs + r.nextInt(60_000), time, now);
            };
        }
        return new CallRecord(index, callSeed, id, type, time, originalStart, duration, callUsers, privateCall,
                status, lastModified, processedAt);
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(v, max));
    }

    private static CallStatus drawStatus(SplittableRandom r) {
        double d = r.nextDouble();
        if (d < 0.80) return CallStatus.POST_PROCESSING_DONE;
        if (d < 0.85) return CallStatus.PROCESSED;
        if (d < 0.89) return CallStatus.SCHEDULED;
        if (d < 0.905) return CallStatus.PROCESSING;
        if (d < 0.915) return CallStatus.INPROGRESS;
        if (d < 0.92) return CallStatus.WAITING_IN_QUEUE;
        CallStatus[] failures = {CallStatus.ERROR_IN_PROCESSING, CallStatus.UNABLE_TO_JOIN,
            CallStatus.CALL_DID_NOT_HAPPEN, CallStatus.NOBODY_JOINED_CALL, CallStatus.NO_DATA_INCALL,
            CallStatus.BOTJOIN_DENIED, CallStatus.ERROR_IN_TRANSCRIBE, CallStatus.IGNORED_BY_USER,
            CallStatus.BOTJOIN_DISABLED, CallStatus.ERROR_IN_RECORDING};
        return Seeds.pick(r, failures);
    }

    private static CallType drawType(SplittableRandom r) {
        double d = r.nextDouble();
        if (d < 0.40) return CallType.ZOOM;
        if (d < 0.65) return CallType.GOOGLE_MEET;
        if (d < 0.80) return CallType.MS_TEAMS;
        if (d < 0.92) return CallType.DIALER;
        return CallType.RECORDING;
    }

    private int[] drawUsers(SplittableRandom r, CallType type) {
        int[] pool = users.callers();
        double d = r.nextDouble();
        int k = type == CallType.DIALER || d < 0.55 ? 1 : d < 0.85 ? 2 : 3;
        k = Math.min(k, pool.length);
        int[] picked = new int[k];
        int n = 0;
        while (n < k) {
            int candidate = pool[r.nextInt(pool.length)];
            boolean dup = false;
            for (int i = 0; i < n; i++) {
                dup |= picked[i] == candidate;
            }
            if (!dup) {
                picked[n++] = candidate;
            }
        }
        return picked;
    }

    /** Participants, account and deal of a call: status-independent, re-derived from its seed. */
    CallShape shape(CallRecord c) {
        CallShape s = new CallShape();
        SplittableRandom ra = Seeds.random(c.seed, S_ACCOUNT);
        boolean internalMeeting = c.type.calendarMeeting() && ra.nextDouble() < 0.12;
        if (!internalMeeting) {
            s.account = Seeds.pick(ra, Texts.ACCOUNTS);
            String slug = UserDirectory.ascii(s.account);
            if ("user".equals(slug)) {
                slug = "client" + Seeds.hex(ra, 4);
            }
            s.accountDomain = slug + Seeds.pick(ra, Texts.COMPANY_DOMAINS_SUFFIX);
        }
        SplittableRandom rd = Seeds.random(c.seed, S_DEAL);
        s.hasDeal = s.account != null && rd.nextDouble() < 0.6;
        if (s.hasDeal) {
            s.dealStageBefore = Seeds.pick(rd, Texts.DEAL_STAGES);
            if (c.dealStage != null) {
                s.dealStageBefore = c.dealStage; // moved in the CRM since (SimulatorData#moveDeal)
            }
        }

        SplittableRandom rp = Seeds.random(c.seed, S_PEOPLE);
        int pid = 0;
        boolean internalOrganizer = c.type == CallType.DIALER
                || (c.type.calendarMeeting() && rp.nextDouble() < 0.85);
        for (int i = 0; i < c.users.length; i++) {
            SimUser u = users.get(c.users[i]);
            s.users.add(new CallShape.Person(c.users[i], u.name(), u.email(), null, pid++,
                    i == 0 && internalOrganizer));
        }
        int externals;
        if (s.account == null) {
            externals = 0;
        } else if (c.type == CallType.DIALER) {
            externals = 1;
        } else if (c.type == CallType.RECORDING) {
            externals = rp.nextInt(3);
        } else {
            double d = rp.nextDouble();
            externals = d < 0.10 ? 0 : d < 0.45 ? 1 : d < 0.70 ? 2 : d < 0.85 ? 3 : d < 0.95 ? 4 : 5;
        }
        for (int i = 0; i < externals; i++) {
            boolean dialer = c.type == CallType.DIALER;
            s.externals.add(person(rp, s.accountDomain, pid++, dialer ? 0.6 : 0.9, dialer ? 0.3 : 0.8,
                    dialer ? 0.97 : 0.2, true));
        }
        int joined = rp.nextDouble() < 0.7 ? 0 : 1 + rp.nextInt(2);
        for (int i = 0; i < joined; i++) {
            boolean withPersonId = rp.nextDouble() < 0.8;
            CallShape.Person p = person(rp, s.accountDomain != null ? s.accountDomain : "guest.example",
                    withPersonId ? pid : -1, 0.85, 0.15, 0.4, false);
            if (withPersonId) {
                pid++;
            }
            s.joined.add(p);
        }
        return s;
    }

    private static CallShape.Person person(SplittableRandom r, String domain, int personId, double pName,
                                           double pEmail, double pPhone, boolean external) {
        boolean exotic = r.nextDouble() < 0.1;
        String first = Seeds.pick(r, Texts.FIRST_NAMES);
        String last = Seeds.pick(r, Texts.LAST_NAMES);
        String fullName = exotic ? Seeds.pick(r, Texts.EXOTIC_NAMES) : first + " " + last;
        boolean hasName = r.nextDouble() < pName;
        boolean hasEmail = r.nextDouble() < pEmail;
        boolean hasPhone = r.nextDouble() < pPhone;
        if (!hasName && !hasEmail && !hasPhone) {
            // a participant with nothing at all is not something the API shows
            if (external) {
                hasEmail = true;
            } else {
                hasName = true;
            }
        }
        String email = hasEmail ? UserDirectory.ascii(first) + "." + UserDirectory.ascii(last) + "@" + domain : null;
        String phone = hasPhone ? "+1" + (201 + r.nextInt(788)) + Seeds.digits(r, 7) : null;
        return new CallShape.Person(-1, hasName ? fullName : null, email, phone, personId, false);
    }

    /** The call as {@code GET /calls} serves it right now. */
    ObjectNode listItem(CallRecord c, Map<String, JsonNode> globalExtras) {
        return listItem(c, shape(c), globalExtras);
    }

    ObjectNode listItem(CallRecord c, CallShape s, Map<String, JsonNode> globalExtras) {
        ObjectNode n = JSON.objectNode();
        CallStatus status = c.status;
        SplittableRandom ri = Seeds.random(c.seed, S_IDS);
        String sourceId = ri.nextDouble() < 0.9 ? sourceId(ri, c.type) : null;

        n.put("id", c.id);
        putIfPresent(n, "source_id", sourceId);
        putIfPresent(n, "title", title(c, s));
        ArrayNode usersNode = n.putArray("users");
        for (CallShape.Person p : s.users) {
            ObjectNode u = usersNode.addObject();
            u.put("userId", users.get(p.userIndex).id());
            u.put("userEmail", users.get(p.userIndex).email());
            u.put("isOrganizer", p.organizer);
            u.put("personId", p.personId);
        }
        ArrayNode ext = n.putArray("externalParticipants");
        s.externals.forEach(p -> ext.add(participantJson(p)));
        ArrayNode joined = n.putArray("joinedParticipants");
        if (status.botJoined()) {
            s.joined.forEach(p -> joined.add(participantJson(p)));
        }
        n.put("status", status.name());
        ArrayNode reasons = n.putArray("bot_not_join_reason");
        if (status.joinFailure()) {
            reasons.add(Seeds.pick(Seeds.random(c.seed, S_BOT), Texts.BOT_NOT_JOIN));
        }
        n.put("type", c.type.name());
        n.put("time", Times.format(c.time));
        if (c.type.calendarMeeting()) {
            n.put("original_start_time", Times.format(c.originalStart));
            if (ri.nextDouble() < 0.9) {
                n.put("icaluid", icalUid(ri, c.type));
            }
            if (ri.nextDouble() < 0.9) {
                n.put("calendar_id", Seeds.uuid(ri.nextLong()));
            }
            if (ri.nextDouble() < 0.25) {
                n.put("recurring_event_id", Seeds.hex(ri, 26));
            }
        }
        n.put("last_modified_time", Times.format(c.lastModified));
        n.putNull("audio_url");
        n.putNull("video_url");
        if (c.type == CallType.DIALER) {
            n.put("disposition", Seeds.pick(ri, Texts.DISPOSITIONS));
        } else if (ri.nextDouble() < 0.5) {
            n.put("disposition", "UNKNOWN_CALL_DISPOSITION");
        }
        putDeal(n, c, s);
        ArrayNode contacts = n.putArray("contact_names");
        s.externals.stream().filter(p -> p.name != null).forEach(p -> contacts.add(p.name));
        putCrm(n, c, s);
        ArrayNode bookmarks = n.putArray("bookmark_timestamps");
        SplittableRandom rb = Seeds.random(c.seed, S_BOOKMARKS);
        if (status.finished() && rb.nextDouble() < 0.3) {
            int k = 1 + rb.nextInt(3);
            long at = c.time;
            for (int i = 0; i < k; i++) {
                at += rb.nextInt(Math.max(1, c.durationSeconds * 1000 / k));
                bookmarks.add(Times.format(at));
            }
        }
        if (status.finished()) {
            n.set("metrics", metrics(c, s));
        }
        n.put("call_review_page_url", "https://copilot.clari.com/call/" + c.id);
        globalExtras.forEach((k, v) -> n.set(k, v.deepCopy()));
        if (c.extraFields != null) {
            c.extraFields.forEach((k, v) -> n.set(k, v.deepCopy()));
        }
        return n;
    }

    /** The call as {@code GET /call-details} serves it right now. */
    ObjectNode details(CallRecord c, Map<String, JsonNode> globalExtras) {
        CallShape s = shape(c);
        ObjectNode n = listItem(c, s, globalExtras);
        detailsFactory.addDetails(n, c, s);
        return n;
    }

    private static void putIfPresent(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    static ObjectNode participantJson(CallShape.Person p) {
        ObjectNode o = JSON.objectNode();
        putIfPresent(o, "name", p.name);
        putIfPresent(o, "email", p.email);
        putIfPresent(o, "phone", p.phone);
        if (p.personId >= 0) {
            o.put("personId", p.personId);
        }
        return o;
    }

    private static String sourceId(SplittableRandom r, CallType type) {
        return switch (type) {
            case ZOOM -> Seeds.digits(r, 11);
            case GOOGLE_MEET -> letters(r, 3) + "-" + letters(r, 4) + "-" + letters(r, 3);
            case MS_TEAMS -> "19:meeting_" + Seeds.hex(r, 32) + "@thread.v2";
            case DIALER -> "CA" + Seeds.hex(r, 32);
            case RECORDING -> "REQUESTED_POST";
        };
    }

    private static String letters(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static String icalUid(SplittableRandom r, CallType type) {
        return switch (type) {
            case GOOGLE_MEET -> Seeds.hex(r, 26) + "@google.com";
            case MS_TEAMS -> "040000008200E00074C5B7101A82E008" + Seeds.hex(r, 40).toUpperCase();
            default -> Seeds.hex(r, 22) + "@zoom.us";
        };
    }

    private String title(CallRecord c, CallShape s) {
        SplittableRandom r = Seeds.random(c.seed, S_TITLE);
        double d = r.nextDouble();
        if (d < 0.08) {
            return Seeds.pick(r, Texts.HARD_TITLES);
        }
        if (d < 0.10) {
            return null;
        }
        String kind = Seeds.pick(r, Texts.TITLE_KINDS);
        if (s.account == null) {
            return Seeds.pick(r, new String[] {"Team standup", "Pipeline review", "1:1", "Forecast call",
                "Deal desk"});
        }
        return switch (c.type) {
            case DIALER -> {
                CallShape.Person p = s.externals.get(0);
                yield "Call with " + (p.name != null ? p.name : p.phone != null ? p.phone : s.account);
            }
            case RECORDING -> "Recording - " + kind;
            default -> switch (r.nextInt(3)) {
                case 0 -> s.account + " <> SellerCo | " + kind;
                case 1 -> kind + ": " + s.account;
                default -> kind + " - " + s.account;
            };
        };
    }

    private void putDeal(ObjectNode n, CallRecord c, CallShape s) {
        if (s.hasDeal) {
            SplittableRandom r = Seeds.random(c.seed, S_DEAL + 100);
            n.put("deal_name", s.account + " - " + Seeds.pick(r, Texts.PRODUCTS)
                    + Seeds.pick(r, new String[] {" Expansion", " New Business", " Renewal"}));
            long value = 5_000 + 500L * r.nextInt(490);
            if (c.dealValue != null) {
                value = c.dealValue;
            }
            n.put("deal_value", r.nextDouble() < 0.3 ? value + ".00" : Long.toString(value));
            n.put("deal_stage_before_call", s.dealStageBefore);
            long day = Math.floorDiv(c.time, DAY) * DAY;
            n.put("deal_close_date", Times.format(day + DAY * (14 + r.nextInt(167))));
        }
        if (s.account != null && (s.hasDeal || Seeds.random(c.seed, S_DEAL + 200).nextDouble() < 0.6)) {
            n.put("account_name", s.account);
        }
    }

    private void putCrm(ObjectNode n, CallRecord c, CallShape s) {
        SplittableRandom r = Seeds.random(c.seed, S_CRM);
        if (s.account == null || r.nextDouble() >= 0.75) {
            return;
        }
        boolean salesforce = r.nextDouble() < 0.75;
        ObjectNode crm = n.putObject("crm_info");
        crm.put("source_crm", salesforce ? "SALESFORCE" : "HUBSPOT");
        if (s.hasDeal) {
            crm.put("deal_id", salesforce ? Seeds.salesforceId(r, "006") : Seeds.digits(r, 11));
        }
        if (r.nextDouble() < 0.9) {
            crm.put("account_id", salesforce ? Seeds.salesforceId(r, "001") : Seeds.digits(r, 10));
        }
        ArrayNode ids = crm.putArray("contact_ids");
        for (CallShape.Person p : s.externals) {
            if (p.email != null) {
                ids.add(salesforce ? Seeds.salesforceId(r, "003") : Seeds.digits(r, 9));
            }
        }
    }

    private ObjectNode metrics(CallRecord c, CallShape s) {
        SplittableRandom r = Seeds.random(c.seed, S_METRICS);
        int duration = c.durationSeconds;
        ObjectNode m = JSON.objectNode();
        double ratio = s.externals.isEmpty() && s.joined.isEmpty() ? 1 : 0.2 + r.nextDouble() * 0.6;
        m.put("talk_listen_ratio", round(ratio, 2));
        int questions = r.nextInt(Math.max(1, duration / 60 + 3));
        int byReps = questions == 0 ? 0 : r.nextInt(questions + 1);
        m.put("num_questions_asked", questions);
        m.put("num_questions_asked_by_reps", byReps);
        m.put("call_duration", duration);
        double speak = duration * (0.6 + r.nextDouble() * 0.35);
        m.put("total_speak_duration", round(speak, 3));
        double monologue = speak * (0.05 + r.nextDouble() * 0.25);
        m.put("longest_monologue_duration", round(monologue, 3));
        m.put("longest_monologue_start_time", round(r.nextDouble() * Math.max(0, duration - monologue), 3));
        m.put("engaging_questions", byReps == 0 ? 0 : r.nextInt(byReps + 1));
        ArrayNode categories = m.putArray("categories");
        int k = r.nextInt(5);
        int first = r.nextInt(Texts.CATEGORIES.length);
        for (int i = 0; i < k; i++) {
            ObjectNode cat = categories.addObject();
            cat.put("name", Texts.CATEGORIES[(first + i) % Texts.CATEGORIES.length]);
            int occurrences = 1 + r.nextInt(6);
            cat.put("occurences", occurrences); // sic: the API's spelling
            ArrayNode phrases = cat.putArray("phrases_matched");
            for (int j = 0; j < Math.min(occurrences, 3); j++) {
                ObjectNode ph = phrases.addObject();
                ph.put("text", Seeds.pick(r, Texts.PHRASES));
                CallShape.Person speaker = s.users.get(r.nextInt(s.users.size()));
                ph.put("user_id", users.get(speaker.userIndex).id());
                ph.put("name", speaker.name);
                ph.put("time", round(r.nextDouble() * duration, 2));
            }
            cat.put("ai_detected", r.nextDouble() < 0.3);
        }
        return m;
    }

    static double round(double v, int places) {
        double scale = Math.pow(10, places);
        return Math.round(v * scale) / scale;
    }
}
