package dev.clarisync.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One workspace user as {@code /users} serves it.
 *
 * @param id          lowercase UUID
 * @param email       login e-mail
 * @param name        display name
 * @param role        REP, MANAGER or OBSERVER
 * @param isRecording whether Copilot records this user's calls
 * @param managerId   the manager's user id, or null for a top of the tree (key then omitted)
 */
public record SimUser(String id, String email, String name, String role, boolean isRecording, String managerId) {

    /** The user's JSON object; {@code manager_id} is omitted when there is none. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", id);
        n.put("email", email);
        n.put("name", name);
        n.put("role", role);
        n.put("is_recording", isRecording);
        if (managerId != null) {
            n.put("manager_id", managerId);
        }
        return n;
    }
}
