package ponte.application.service;

/** Prefixes make a leaked token recognisable to secret scanners and to the person who finds it. */
final class TokenPrefix {
    static final String ADMIN = "pta_";
    static final String ACCOUNT = "ptk_";
    static final String INSTANCE = "pti_";
    static final int ENTROPY_BYTES = 32;

    private TokenPrefix() {}
}
