package ponte.domain.instance;

/** A status change the machine does not allow, e.g. {@code pending → connected} without connecting first. */
public final class IllegalTransitionException extends RuntimeException {
    public IllegalTransitionException(InstanceStatus from, InstanceStatus to) {
        super("an instance cannot go from " + from.wireName() + " to " + to.wireName());
    }
}
