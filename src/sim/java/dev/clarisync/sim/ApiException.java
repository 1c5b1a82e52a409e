package dev.clarisync.sim;

/** An API error answer: HTTP status plus the JSON body the API would send. */
final class ApiException extends RuntimeException {
    final int status;
    final String body;

    ApiException(int status, String body) {
        super(status + " " + body, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** 400 with the API's {@code {"errorMessage": ...}} body. */
    static ApiException badRequest(String message) {
        return new ApiException(400, Json.error(message));
    }
}
