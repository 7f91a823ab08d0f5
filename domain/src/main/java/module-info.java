/** The core model of Ponte: plain Java, no framework, no clock or random source of its own. */
module ponte.domain {
    exports ponte.domain.appstate;
    exports ponte.domain.auth;
    exports ponte.domain.egress;
    exports ponte.domain.event;
    exports ponte.domain.instance;
    exports ponte.domain.integration;
    exports ponte.domain.message;
    exports ponte.domain.proxy;
    exports ponte.domain.settings;
    exports ponte.domain.tenant;
    exports ponte.domain.validation;
    exports ponte.domain.webhook;
}
