def test_dashboard_shows_the_signed_in_admin(admin_client1, admin_user):
    # when
    response = admin_client1.get("/")
    # then
    assert response.status_code == 200
    assert b"Welcome, Ada" in response.content
    assert b"0.1.0" in response.content
