module ponte.adapters.whatsapp {
    requires ponte.application;
}
