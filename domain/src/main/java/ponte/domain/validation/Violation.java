package ponte.domain.validation;

import java.util.Objects;

/** One problem with one input field, phrased for the person who sent it. */
public record Violation(String field, String problem) {
    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(problem, "problem");
    }
}
