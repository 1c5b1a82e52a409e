package dev.clarisync.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clarisync.schema.Flattener;
import dev.clarisync.warehouse.Warehouse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small warehouse whose every string is hostile to HTML, JavaScript, JSON, SQL or the report's own template,
 * written through the warehouse's normal upsert path (the same tables and columns a sync creates).
 */
final class HostileWarehouse {
    static final String SCRIPT = "</script><script>window.__pwned=1</script>";
    static final String IMG = "<img src=\"https://evil.example/x.png\" onerror=\"window.__pwned=2\">";
    static final String QUOTES = "Q3 pricing: \"Enterprise\" vs 'Pro' \\ tier `tick`";
    static final String SQL = "Robert'); DROP TABLE calls; --";
    static final String EMOJI = "Kickoff 🚀 with the team 🎉👩‍💻 — naïve café";
    static final String LINES = "Line one\nLine two\u2028separator\u2029paragraph";
    static final String COMMENT = "<!-- not a comment --> ]]> &amp; &lt;";
    static final String PLACEHOLDERS = "{{DATA}} /*{{JS}}*/ /*{{CSS}}*/ ${jndi:ldap://x} %s %d";
    static final List<String> ALL = List.of(SCRIPT, IMG, QUOTES, SQL, EMOJI, LINES, COMMENT, PLACEHOLDERS);

    /** What was written where: the texts the page must show exactly. */
    static final String MANAGER_NAME = "Ann " + SCRIPT;
    static final String REP_NAME = "Bob " + EMOJI;
    static final String RUN_MESSAGE = "warehouse said: " + IMG + " " + SCRIPT;
    /** The two scorecard skills. */
    static final String SKILL_A = "Skill " + IMG;
    static final String SKILL_B = "Skill " + SQL;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileWarehouse() {
    }

    /** Call i has title ALL[i], deal name ALL[i+1], account ALL[i+2], one action item ALL[i+3] owned by ALL[i+4]. */
    static void fill(Warehouse w) {
        Instant now = Instant.parse("2026-10-20T12:00:00Z");
        ArrayNode users = JSON.createArrayNode();
        users.addObject().put("id", "u1").put("email", "ann@sellerco.example").put("name", MANAGER_NAME).put("role", "MANAGER");
        users.addObject().put("id", "u2").put("email", "bob@sellerco.example").put("name", REP_NAME).put("role", "REP")
                .put("manager_id", "u1");
        ArrayNode calls = JSON.createArrayNode();
        ArrayNode details = JSON.createArrayNode();
        int n = ALL.size();
        for (int i = 0; i < n; i++) {
            String id = "call-" + i;
            ObjectNode c = calls.addObject();
            c.put("id", id).put("time", now.minusSeconds(86_400L * 3 * i).toString()).put("status", "POST_PROCESSING_DONE")
                    .put("title", ALL.get(i)).put("deal_name", ALL.get((i + 1) % n)).put("account_name", ALL.get((i + 2) % n))
                    .put("deal_stage_before_call", i % 2 == 0 ? "Discovery" : IMG);
            c.putArray("users").addObject().put("userId", i % 3 == 0 ? "u1" : "u2").put("userEmail", "x@sellerco.example")
                    .put("isOrganizer", true).put("personId", 0);
            c.putObject("metrics").put("talk_listen_ratio", 0.3 + 0.05 * i).put("num_questions_asked", 7)
                    .put("num_questions_asked_by_reps", 4).put("engaging_questions", 2).put("call_duration", 1800)
                    .put("total_speak_duration", 1500.5).put("longest_monologue_duration", 120.25);
            ObjectNode d = c.deepCopy();
            d.put("deal_stage_live", i % 2 == 0 ? "Proposal" : SCRIPT);
            ObjectNode summary = d.putObject("summary");
            summary.put("full_summary", ALL.get((i + 5) % n));
            summary.putArray("key_action_items").addObject().put("action_item", ALL.get((i + 3) % n))
                    .put("owner_name", ALL.get((i + 4) % n)).put("speaker_name", ALL.get((i + 6) % n)).put("timeline", "next week");
            d.putArray("transcript").addObject().put("text", ALL.get((i + 7) % n)).put("start", 0.0).put("end", 4.5).put("personId", 0);
            details.add(d);
        }
        // one template whose name, skills and labels are hostile; a scorecard of each call by the other user
        ObjectNode template = JSON.createObjectNode().put("id", "t1").put("customer_id", "c1").put("name", SCRIPT).put("type", "CALL");
        template.putArray("questions").addObject().put("skill", SKILL_A).put("label", QUOTES).put("order", "1");
        ((ArrayNode) template.get("questions")).addObject().put("skill", SKILL_B).put("label", LINES).put("order", "2");
        ArrayNode scorecards = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            boolean byManager = i % 3 != 0;
            ObjectNode s = scorecards.addObject().put("id", "sc-" + i).put("type", "MANUAL").put("rep", byManager ? "u2" : "u1")
                    .put("scorer", byManager ? "u1" : "u2").put("template_id", "t1").put("call_id", "call-" + i)
                    .put("total_score", 3).put("remark", ALL.get(i));
            s.putArray("questions_score").addObject().put("score", 1 + i % 5).put("skill", SKILL_A).put("label", QUOTES).put("order", "1");
            ((ArrayNode) s.get("questions_score")).addObject().put("score", 5 - i % 5).put("skill", SKILL_B).put("label", LINES).put("order", "2");
        }
        w.inTransaction(tx -> {
            tx.upsert(Flattener.flatten("users", List.of(users.get(0), users.get(1))), now);
            tx.upsert(Flattener.flatten("calls", toList(calls)), now);
            tx.upsert(Flattener.flatten("call_details", toList(details)), now);
            tx.upsert(Flattener.flatten("scorecard_templates", List.of(template)), now);
            tx.upsert(Flattener.flatten("scorecards", toList(scorecards)), now);
            return null;
        });
        w.runLog().startRun("run-ok", "sync", now.minusSeconds(7200));
        w.runLog().finishRun("run-ok", "succeeded", "ok", Map.of("calls", (long) n, "call_details", (long) n), 12, 1, 0, 0, now.minusSeconds(7000));
        w.runLog().startRun("run-failed", "sync", now.minusSeconds(60));
        w.runLog().finishRun("run-failed", "failed", RUN_MESSAGE, Map.of(), 3, 0, 0, 0, now.minusSeconds(30));
    }

    private static List<ObjectNode> toList(ArrayNode a) {
        java.util.ArrayList<ObjectNode> out = new java.util.ArrayList<>();
        a.forEach(x -> out.add((ObjectNode) x));
        return out;
    }
}
