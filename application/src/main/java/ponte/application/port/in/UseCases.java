package ponte.application.port.in;

/**
 * Every use case of the core, one interface per area: the one list the driving adapters (HTTP, the WhatsApp
 * engine, the webhook dispatcher) and the composition root take their use cases from.
 */
public record UseCases(
        AuthenticateUseCase authenticate,
        TokensUseCase tokens,
        AuditUseCase audit,
        TenantsUseCase tenants,
        InstancesUseCase instances,
        TenantProxyUseCase tenantProxy,
        InstanceProxyUseCase instanceProxy,
        InstanceSettingsUseCase instanceSettings,
        ChatwootConfigUseCase chatwootConfig,
        S3ConfigUseCase s3Config,
        SandboxUseCase sandbox,
        ConfigureWebhooksUseCase webhooks,
        ConfigureWebSocketUseCase websocket,
        WebhookDeliveriesUseCase deliveries,
        DispatchWebhooksUseCase dispatch,
        IngestEventUseCase ingest,
        InboundEventUseCase inboundEvents,
        ReadEventUseCase readEvent,
        SessionLifecycleUseCase sessions,
        SessionEventsUseCase sessionEvents,
        NodeSessionsUseCase nodeSessions,
        NodeCommandsUseCase nodeCommands,
        GatewayStatsQueries gatewayStats,
        MessagesUseCase messages,
        InboundMessagesUseCase inboundMessages,
        SendQueueUseCase sendQueue,
        GroupsUseCase groups, AppStateUseCase appState, CallsUseCase calls, PresenceUseCase presence,
        MediaUseCase media,
        MediaIntakeUseCase mediaIntake,
        LinkPreviewUseCase linkPreviews,
        ChatwootSyncUseCase chatwootSync) {}
