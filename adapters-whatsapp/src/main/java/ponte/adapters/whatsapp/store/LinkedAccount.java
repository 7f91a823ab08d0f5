package ponte.adapters.whatsapp.store;

/**
 * The account a device was linked to at pair-success: its device JID and LID, the primary's platform, the business
 * name (empty for personal accounts), the push name (empty until the account tells us), and the ADV signed device
 * identity, kept whole with the account signature key because later messages must carry it.
 */
public record LinkedAccount(String jid, String lid, String platform, String businessName, String pushName,
        byte[] signedIdentity) {

    public LinkedAccount {
        signedIdentity = signedIdentity.clone();
    }

    @Override
    public byte[] signedIdentity() {
        return signedIdentity.clone();
    }
}
