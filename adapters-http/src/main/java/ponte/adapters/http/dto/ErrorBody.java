package ponte.adapters.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The one error envelope of every failing response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(boolean success, String error, String errorCode, Instant timestamp, String requestId,
                        List<Detail> details) {
    public record Detail(String field, String problem) {}
}
