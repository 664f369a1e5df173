"""Tests of learnpath/auth: logins, remembered logins, lockout."""
