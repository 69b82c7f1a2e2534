"""E-mail over SMTP.

```toml
[channels.email]
host = "smtp.example.kz"
port = 587
sender = "qulaq@example.kz"
starttls = true        # or ssl = true for port 465
username = "qulaq"     # the password comes from QULAQ_SMTP_PASSWORD
```

The Message-ID is made from the delivery's deduplication key, so a mail
system that keeps ids drops a repeat.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from playbooks.channels import DeliveryError, Outgoing
from qulaq.config import Settings


@dataclass
class EmailChannel:
    host: str | None
    port: int = 587
    sender: str = "qulaq@localhost"
    starttls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 20.0
    kind: str = "email"

    @classmethod
    def from_settings(cls, settings: Settings) -> EmailChannel:
        opt = settings.option("channels.email", {}) or {}
        return cls(
            host=opt.get("host"),
            port=int(opt.get("port", 587)),
            sender=str(opt.get("sender", "qulaq@localhost")),
            starttls=bool(opt.get("starttls", False)),
            use_ssl=bool(opt.get("ssl", False)),
            username=opt.get("username"),
            password=settings.secret("smtp_password"),
            timeout=float(opt.get("timeout", 20)),
        )

    def send(self, message: Outgoing) -> str | None:
        if not self.host:
            raise DeliveryError("channels.email.host is not configured", retryable=False)
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = message.address
        msg["Subject"] = message.subject
        msg["Date"] = formatdate(localtime=False)
        msg_id = f"<{hashlib.sha256(message.key.encode()).hexdigest()[:32]}@qulaq>"
        msg["Message-ID"] = msg_id
        msg["X-Qulaq-Delivery"] = message.key
        if message.urgent:
            msg["X-Priority"] = "1"
        msg.set_content(message.body)
        try:
            client: smtplib.SMTP
            if self.use_ssl:
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.starttls:
                    client.starttls(context=ssl.create_default_context())
                if self.username and self.password:
                    client.login(self.username, self.password)
                client.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"recipient refused: {message.address}", retryable=False) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError("SMTP login refused", retryable=False) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.smtp_code}", retryable=400 <= exc.smtp_code < 500
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}", retryable=True) from exc
        return msg_id
