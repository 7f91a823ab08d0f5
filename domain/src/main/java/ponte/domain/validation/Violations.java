package ponte.domain.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects violations while a whole input is checked, then fails once with all of them. */
public final class Violations {
    private final List<Violation> found = new ArrayList<>();

    public Violations add(String field, String problem) {
        found.add(new Violation(field, problem));
        return this;
    }

    public Violations check(boolean ok, String field, String problem) {
        if (!ok) {
            add(field, problem);
        }
        return this;
    }

    /** How many problems were found so far (a checker compares before and after to see whether its part failed). */
    public int size() {
        return found.size();
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ValidationException(found);
        }
    }
}
