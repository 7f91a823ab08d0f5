package ponte.adapters.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import ponte.adapters.http.openapi.Nullable;

/** The one error envelope of every failing response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(boolean success, String error, String errorCode, Instant timestamp, String requestId,
                        @Nullable List<Detail> details) {
    public record Detail(String field, String problem) {}
}
