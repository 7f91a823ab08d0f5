package ponte.domain.validation;

import java.util.List;

/** Input that breaks a rule of the model; carries every problem found, not only the first. */
public final class ValidationException extends RuntimeException {
    private final transient List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(summary(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public static ValidationException of(String field, String problem) {
        return new ValidationException(List.of(new Violation(field, problem)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        return violations.isEmpty() ? "invalid input"
                : violations.getFirst().field() + ": " + violations.getFirst().problem();
    }
}
