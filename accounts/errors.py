class AccountsError(Exception):
    """Base of the accounts domain errors; the message is safe to show to the user."""


class LastAdminError(AccountsError):
    pass


class SelfActionError(AccountsError):
    pass


class UserAlreadyExists(AccountsError):
    pass


class InvitationInvalid(AccountsError):
    pass


class LoginLocked(AccountsError):
    def __init__(self, message: str, retry_after_seconds: int):
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
