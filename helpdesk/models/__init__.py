from helpdesk.models.mailbox import InboundMessage, InboundOutcome, Mailbox, MailboxSecurity  # noqa: F401
from helpdesk.models.contract import (  # noqa: F401
    ContractReminder,
    ContractStatus,
    ContractType,
    HoursPeriod,
    SupportContract,
)
from helpdesk.models.sla import BusinessHoliday, SlaPause, SlaPolicy  # noqa: F401
from helpdesk.models.ticket import (  # noqa: F401
    Attachment,
    CannedResponse,
    Comment,
    HelpdeskRights,
    Ticket,
    TicketCategory,
    TicketPriority,
    TicketSource,
    TicketStatus,
    TicketType,
    TimeEntry,
)
