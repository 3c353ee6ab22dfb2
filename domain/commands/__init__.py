"""The application's commands, one module per area; `domain.application.Cotrace` brings them together."""
