"""Vault's RabbitMQ secrets engine: dynamic RabbitMQ users through the management HTTP API."""

from strongroom.engines.rabbitmq.backend import RabbitMqBackend

__all__ = ["RabbitMqBackend"]
